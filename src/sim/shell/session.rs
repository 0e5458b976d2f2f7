//! A session: the command lines a [`Shell`] ran and what its [`ShellIo`] answered, replayed to
//! rebuild the same cluster (the example `kubectl` keeps it in its state file).

use serde::{Deserialize, Serialize};

use crate::sim::Config;

use super::{DirEntry, IoError, Output, Shell, ShellIo};

/// The version of the session format.
const FORMAT: u32 = 1;

/// Why a session cannot be read or replayed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The text is not a session.
    #[error("not a kube-workloads session: {0}")]
    Syntax(String),
    /// Written by another version of this crate (replaying could give another cluster).
    #[error(
        "the session was written by kube-workloads {found} (format {format}); this is {expected}: start a new session"
    )]
    Version {
        /// The version in the file.
        found: String,
        /// The format in the file.
        format: u32,
        /// This crate's version.
        expected: String,
    },
    /// A command asked for other files than when it was recorded.
    #[error("command {index} of the session does not replay: {reason}")]
    Replay {
        /// 1-based position of the command.
        index: usize,
        /// What differed.
        reason: String,
    },
}

/// Contents read from a file or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Contents {
    /// UTF-8 text.
    Text(String),
    /// Anything else.
    Bytes(Vec<u8>),
    /// The read failed.
    Error(IoError),
}

impl Contents {
    fn of(r: &Result<Vec<u8>, IoError>) -> Contents {
        match r {
            Ok(b) => match String::from_utf8(b.clone()) {
                Ok(s) => Contents::Text(s),
                Err(_) => Contents::Bytes(b.clone()),
            },
            Err(e) => Contents::Error(e.clone()),
        }
    }

    fn result(&self) -> Result<Vec<u8>, IoError> {
        match self {
            Contents::Text(s) => Ok(s.clone().into_bytes()),
            Contents::Bytes(b) => Ok(b.clone()),
            Contents::Error(e) => Err(e.clone()),
        }
    }
}

/// One answer of a [`ShellIo`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum IoRecord {
    /// [`ShellIo::read`].
    Read {
        /// The path asked for.
        path: String,
        /// The answer.
        contents: Contents,
    },
    /// [`ShellIo::read_dir`].
    ReadDir {
        /// The path asked for.
        path: String,
        /// The entries, or the error.
        entries: Result<Vec<DirEntry>, IoError>,
    },
    /// [`ShellIo::stdin`].
    Stdin {
        /// The answer.
        contents: Contents,
    },
}

/// One command of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEntry {
    /// The command line, `argv[0]` first.
    pub argv: Vec<String>,
    /// What the command read, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub io: Vec<IoRecord>,
}

/// Every command a shell ran, with what it read: replaying it rebuilds the cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The format of this record.
    pub format: u32,
    /// The version of kube-workloads that wrote it.
    pub version: String,
    /// The seed of the simulated cluster (names, uids).
    pub seed: u64,
    /// The commands, oldest first.
    #[serde(default)]
    pub commands: Vec<SessionEntry>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new(Config::default().seed)
    }
}

/// A [`ShellIo`] that records what another one answers.
struct Recording<'a> {
    inner: &'a mut dyn ShellIo,
    records: Vec<IoRecord>,
}

impl ShellIo for Recording<'_> {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        let r = self.inner.read(path);
        self.records.push(IoRecord::Read {
            path: path.to_owned(),
            contents: Contents::of(&r),
        });
        r
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, IoError> {
        let r = self.inner.read_dir(path);
        self.records.push(IoRecord::ReadDir {
            path: path.to_owned(),
            entries: r.clone(),
        });
        r
    }

    fn stdin(&mut self) -> Result<Vec<u8>, IoError> {
        let r = self.inner.stdin();
        self.records.push(IoRecord::Stdin {
            contents: Contents::of(&r),
        });
        r
    }
}

/// A [`ShellIo`] that answers from a recording.
struct Replay<'a> {
    records: std::slice::Iter<'a, IoRecord>,
    mismatch: Option<String>,
}

impl Replay<'_> {
    fn miss<T>(&mut self, what: String) -> Result<T, IoError> {
        if self.mismatch.is_none() {
            self.mismatch = Some(what);
        }
        Err(IoError::Other("the session does not replay".to_owned()))
    }
}

impl ShellIo for Replay<'_> {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        match self.records.next() {
            Some(IoRecord::Read { path: p, contents }) if p == path => contents.result(),
            _ => self.miss(format!("it reads {path:?}")),
        }
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, IoError> {
        match self.records.next() {
            Some(IoRecord::ReadDir { path: p, entries }) if p == path => entries.clone(),
            _ => self.miss(format!("it lists {path:?}")),
        }
    }

    fn stdin(&mut self) -> Result<Vec<u8>, IoError> {
        match self.records.next() {
            Some(IoRecord::Stdin { contents }) => contents.result(),
            _ => self.miss("it reads standard input".to_owned()),
        }
    }
}

impl Session {
    /// An empty session of a cluster with this seed.
    #[must_use]
    pub fn new(seed: u64) -> Session {
        Session {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            seed,
            commands: Vec::new(),
        }
    }

    /// The configuration of the session's cluster.
    #[must_use]
    pub fn config(&self) -> Config {
        Config {
            seed: self.seed,
            ..Config::default()
        }
    }

    /// Rebuilds the shell by running every command again on a new cluster.
    pub fn replay(&self) -> Result<Shell, SessionError> {
        if self.format != FORMAT || self.version != env!("CARGO_PKG_VERSION") {
            return Err(SessionError::Version {
                found: self.version.clone(),
                format: self.format,
                expected: env!("CARGO_PKG_VERSION").to_owned(),
            });
        }
        let mut shell = Shell::new(self.config());
        for (i, entry) in self.commands.iter().enumerate() {
            let argv: Vec<&str> = entry.argv.iter().map(String::as_str).collect();
            let mut io = Replay {
                records: entry.io.iter(),
                mismatch: None,
            };
            shell.run(&argv, &mut io);
            let left = io.records.next().is_some();
            if let Some(reason) = io.mismatch {
                return Err(SessionError::Replay {
                    index: i + 1,
                    reason,
                });
            }
            if left {
                return Err(SessionError::Replay {
                    index: i + 1,
                    reason: "it reads less than was recorded".to_owned(),
                });
            }
        }
        Ok(shell)
    }

    /// Runs a command on `shell` (the session's replay) and records it. After a successful
    /// `sim reset` the session starts over.
    pub fn run(&mut self, shell: &mut Shell, argv: &[&str], io: &mut dyn ShellIo) -> Output {
        let resets = shell.resets;
        let mut rec = Recording {
            inner: io,
            records: Vec::new(),
        };
        let out = shell.run(argv, &mut rec);
        let records = rec.records;
        if shell.resets != resets {
            self.commands.clear();
            shell.resets = 0;
        } else {
            self.commands.push(SessionEntry {
                argv: argv.iter().map(|s| (*s).to_owned()).collect(),
                io: records,
            });
        }
        out
    }

    /// The session as YAML.
    pub fn to_yaml(&self) -> Result<String, SessionError> {
        let body = serde_yaml::to_string(self).map_err(|e| SessionError::Syntax(e.to_string()))?;
        Ok(format!(
            "# kube-workloads: a simulated cluster, kept as the commands that built it.\n\
             # Every kubectl invocation replays them, then appends its own.\n{body}"
        ))
    }

    /// Reads a session written by [`Session::to_yaml`].
    pub fn from_yaml(text: &str) -> Result<Session, SessionError> {
        serde_yaml::from_str(text).map_err(|e| SessionError::Syntax(e.to_string()))
    }
}

//! A kubectl-compatible command line over a simulated [`Cluster`]: [`Shell::run`] interprets
//! `kubectl` v1.32 command lines (`apply`, `get`, `describe`, `delete`, `label`, `annotate`,
//! `scale`, `set image`, `rollout status|history|undo|restart|pause|resume`) and the simulator's
//! own `sim` command, and returns what kubectl would print and its exit code.
//!
//! The shell is sans-IO like the rest of the crate: files named by `-f` are read through the
//! caller's [`ShellIo`], output comes back as data ([`Output`]), and time is the cluster's
//! simulated clock.
//!
//! ```
//! use kube_workloads::sim::Config;
//! use kube_workloads::sim::shell::{MemoryFs, Shell};
//!
//! let mut fs = MemoryFs::default();
//! fs.insert("web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n\
//! spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    \
//! metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        \
//! image: nginx:1.16\n");
//! let mut sh = Shell::new(Config::default());
//! let out = sh.run(&["kubectl", "apply", "-f", "web.yaml"], &mut fs);
//! assert_eq!(out.stdout, "deployment.apps/web created\n");
//! let out = sh.run(&["kubectl", "get", "deploy"], &mut fs);
//! assert_eq!(out.stdout, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           5s\n");
//! let out = sh.run(&["kubectl", "rollout", "undo", "deploy/web", "--to-revisino", "1"], &mut fs);
//! assert_eq!(out.code, 1);
//! assert_eq!(
//!     out.stderr,
//!     "error: unknown flag: --to-revisino\nSee 'kubectl rollout undo --help' for usage.\n"
//! );
//! ```
//!
//! # Time: what "settled" means
//! A person types the next command a few seconds after the last one, and a real cluster keeps
//! working in between. So every kubectl command (successful or not; `sim` commands excepted)
//! ends with a **settle**: the controllers run until idle at the current instant, then the
//! simulated clock moves forward by [`Shell::SETTLE`] (5 seconds), stopping at every deadline
//! on the way (pods scheduled, started, ready or gone; controller requeues) to run the
//! controllers there ([`Cluster::advance`]). With the default pod lifecycle (start 2 s, ready
//! 1 s later, termination 1 s) a pod applied by one command is `Running` and ready when the next
//! command reads it; a rolling update of a few replicas is still under way, which is what
//! `rollout status` then shows. The command itself runs at the instant the previous one left
//! the clock, so `get` reports ages and states as of that instant.
//!
//! The global flag `--no-settle` skips the settle: the clock stays where it is and the
//! controllers have not yet reacted to the command's writes (they do at the next settle,
//! `sim advance` or `sim settle`). `kubectl apply -f rs.yaml --no-settle` then `kubectl get rs
//! --no-settle` shows a ReplicaSet with no pods yet.
//!
//! Commands that wait in kubectl wait in simulated time: `rollout status` moves the clock from
//! deadline to deadline and prints each new status message (see below); `delete` waits until
//! the deleted objects are gone (`--wait`, default true), as kubectl does.
//!
//! # The `sim` command
//! - `sim advance DURATION` (`30s`, `2m`, `1h30m`: Go durations, rounded up to seconds),
//! - `sim settle`: from deadline to deadline until nothing is pending (at most one simulated
//!   hour), `sim now`: the simulated time,
//! - `sim fault quota N|none`, `sim fault fail-deletes N`, `sim fault lag on|off`
//!   (see [`crate::sim::Faults`]), `sim lose-node NAME`,
//! - `sim events`: every event recorded, oldest first, as `kubectl events` prints them,
//! - `sim reset`: an empty cluster with the same configuration.
//!
//! # Deliberate differences from kubectl
//! - Only the workload kinds are served: `get`, `describe`, `label`, ... on services,
//!   configmaps and other kinds print an explanation. `apply` and `delete -f` accept any kind
//!   (the simulator stores the others untouched). `kubectl get all` therefore has no
//!   `service/kubernetes` row.
//! - `rollout status` prints a line when the status message changes; kubectl prints one per
//!   watch event, so it may repeat a line. Without `--timeout`, a rollout that can no longer
//!   progress (nothing left to happen in the simulation) ends with an error instead of waiting
//!   forever, and a wait is bounded at one simulated day.
//! - Flags kubectl accepts but the simulator cannot honour (`--dry-run`, `--server-side`,
//!   `--grace-period`, `-o jsonpath=...`, `--watch` on `get`, ...) are rejected with an
//!   explanation; kubeconfig and logging flags are accepted and ignored. `--cascade=foreground`
//!   behaves as `background` (the simulator deletes owners at once and collects dependents).
//! - `--help` prints a short usage, not kubectl's full help text. Commands kubectl has and the
//!   simulator does not (`logs`, `exec`, `set env`, ...) print an explanation and exit 1.
//! - `set image` on a bare pod is refused (the simulator cannot restart a pod's containers with
//!   a new image).
//! - A manifest with a decoding error is rejected as a whole (kubectl still applies the
//!   documents of the file that decoded).
//! - A table of several named objects lists them by name, not in argument order.
//!
//! # Keeping a session: the state file
//! The example `kubectl` keeps a cluster between invocations in a state file. The cluster's
//! internals (lifecycle queue, generator state, expectations) are not serializable, and the
//! simulator is deterministic, so the file is a [`Session`]: the configuration, then every
//! command line with the answers [`ShellIo`] gave it (file contents, directory listings, standard
//! input). Starting a command replays the session on a new cluster, which yields the same cluster
//! byte for byte, then runs and appends the new command. The trade-offs: start-up grows with the
//! session (replaying a few hundred commands takes milliseconds), a session only replays on the
//! same version of this crate (the file records it and is refused otherwise), and the file
//! records manifest contents, so editing a manifest after applying it does not change history.

mod files;
mod flags;
mod read;
mod resources;
mod rollout;
mod session;
mod simcmd;
mod write;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::sim::{Cluster, Config};

use flags::{Cmd, Parsed};
use resources::{KErr, check_err};

pub use session::{Contents, IoRecord, Session, SessionEntry, SessionError};

/// Why a [`ShellIo`] could not answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum IoError {
    /// No file or directory at that path.
    #[error("no such file or directory")]
    NotFound,
    /// The path is a directory ([`ShellIo::read`]).
    #[error("is a directory")]
    IsADirectory,
    /// The path is not a directory ([`ShellIo::read_dir`]).
    #[error("not a directory")]
    NotADirectory,
    /// Anything else, with the operating system's message.
    #[error("{0}")]
    Other(String),
}

/// One entry of a directory.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct DirEntry {
    /// The entry's name (no directory part).
    pub name: String,
    /// Whether it is a directory.
    pub is_dir: bool,
}

/// The files and standard input the shell may read (`-f FILE`, `-f DIR`, `-f -`), supplied by
/// the caller.
pub trait ShellIo {
    /// A file's contents; [`IoError::IsADirectory`] for a directory, [`IoError::NotFound`]
    /// when nothing is there.
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError>;
    /// A directory's entries, in any order.
    fn read_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, IoError>;
    /// Everything on standard input.
    fn stdin(&mut self) -> Result<Vec<u8>, IoError>;
}

/// An in-memory [`ShellIo`]: files by path (directories are implied by `/` in paths), and a
/// standard input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryFs {
    files: BTreeMap<String, Vec<u8>>,
    stdin: Vec<u8>,
}

impl MemoryFs {
    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: &str, contents: impl Into<Vec<u8>>) {
        self.files
            .insert(path.trim_start_matches("./").to_owned(), contents.into());
    }

    /// Sets standard input.
    pub fn set_stdin(&mut self, contents: impl Into<Vec<u8>>) {
        self.stdin = contents.into();
    }

    fn dir_prefix(path: &str) -> String {
        let p = path.trim_start_matches("./").trim_end_matches('/');
        if p.is_empty() || p == "." {
            String::new()
        } else {
            format!("{p}/")
        }
    }
}

impl ShellIo for MemoryFs {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        if let Some(b) = self.files.get(path.trim_start_matches("./")) {
            return Ok(b.clone());
        }
        let prefix = Self::dir_prefix(path);
        if self.files.keys().any(|k| k.starts_with(&prefix)) {
            return Err(IoError::IsADirectory);
        }
        Err(IoError::NotFound)
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, IoError> {
        let prefix = Self::dir_prefix(path);
        let mut out: Vec<DirEntry> = Vec::new();
        for k in self.files.keys() {
            let Some(rest) = k.strip_prefix(&prefix) else {
                continue;
            };
            let entry = match rest.split_once('/') {
                Some((dir, _)) => DirEntry {
                    name: dir.to_owned(),
                    is_dir: true,
                },
                None => DirEntry {
                    name: rest.to_owned(),
                    is_dir: false,
                },
            };
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
        if out.is_empty() {
            return Err(if self.files.contains_key(path) {
                IoError::NotADirectory
            } else {
                IoError::NotFound
            });
        }
        Ok(out)
    }

    fn stdin(&mut self) -> Result<Vec<u8>, IoError> {
        Ok(self.stdin.clone())
    }
}

/// Which stream a piece of output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a command printed, and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Everything written to standard output.
    pub stdout: String,
    /// Everything written to standard error.
    pub stderr: String,
    /// The exit code: 0 on success, 1 on error (as kubectl).
    pub code: i32,
    chunks: Vec<(Stream, String)>,
}

impl Output {
    /// The output in the order it was written, stream by stream (what a terminal shows).
    #[must_use]
    pub fn interleaved(&self) -> &[(Stream, String)] {
        &self.chunks
    }

    fn out(&mut self, s: &str) {
        self.write(Stream::Stdout, s);
    }

    fn err(&mut self, s: &str) {
        self.write(Stream::Stderr, s);
    }

    fn write(&mut self, stream: Stream, s: &str) {
        if s.is_empty() {
            return;
        }
        match stream {
            Stream::Stdout => self.stdout.push_str(s),
            Stream::Stderr => self.stderr.push_str(s),
        }
        match self.chunks.last_mut() {
            Some((st, text)) if *st == stream => text.push_str(s),
            _ => self.chunks.push((stream, s.to_owned())),
        }
    }

    fn fail(&mut self, errs: &[KErr]) {
        self.err(&check_err(errs));
        self.code = 1;
    }
}

/// A command's failure: the errors `CheckErr` prints.
type Failed = Vec<KErr>;

/// What a command handler returns.
type CmdResult = Result<(), Failed>;

/// Success when nothing failed; otherwise every error, for `CheckErr` to print.
fn finish(errors: Failed) -> CmdResult {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, Failed> {
    Err(vec![KErr::plain(msg)])
}

/// Everything a command handler needs besides the cluster.
struct Ctx<'a> {
    cmd: Cmd,
    /// The command line as typed (`argv[0]` first), `--no-settle` removed.
    argv: Vec<&'a str>,
    flags: Parsed,
    namespace: String,
    /// `-n` was given.
    explicit_namespace: bool,
    io: &'a mut dyn ShellIo,
}

/// A simulated cluster driven by kubectl command lines; see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Shell {
    cluster: Cluster,
    /// How many times `sim reset` emptied the cluster.
    resets: u64,
}

impl Shell {
    /// How far the clock moves after each command (see the [module docs](self)).
    pub const SETTLE: Duration = Duration::from_secs(5);

    /// A shell over an empty cluster.
    #[must_use]
    pub fn new(config: Config) -> Shell {
        Shell {
            cluster: Cluster::new(config),
            resets: 0,
        }
    }

    /// A shell over an existing cluster.
    #[must_use]
    pub fn with_cluster(cluster: Cluster) -> Shell {
        Shell { cluster, resets: 0 }
    }

    /// The cluster.
    #[must_use]
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster, to change it directly.
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// Runs one command line. `argv[0]` is the program (`kubectl`; its base name is what
    /// `--record` writes); the rest is what the user typed after it.
    pub fn run(&mut self, argv: &[&str], io: &mut dyn ShellIo) -> Output {
        let mut out = Output::default();
        let mut settle = true;
        let mut kept: Vec<&str> = Vec::with_capacity(argv.len());
        let mut bad_settle = None;
        for (i, a) in argv.iter().enumerate() {
            if i > 0 && (*a == "--no-settle" || a.starts_with("--no-settle=")) {
                let v = a.strip_prefix("--no-settle=").unwrap_or("true");
                match flags::parse_bool(v) {
                    Ok(b) => settle = !b,
                    Err(()) => bad_settle = Some(v.to_owned()),
                }
                continue;
            }
            kept.push(a);
        }
        let args: Vec<String> = kept.iter().skip(1).map(|s| (*s).to_owned()).collect();
        let is_sim = match flags::find(&args) {
            Err(msg) => {
                out.fail(&[KErr::Plain(msg)]);
                false
            }
            Ok(found) => {
                let is_sim = found.cmd == Cmd::Sim;
                if let Some(v) = bad_settle {
                    out.fail(&[KErr::Raw(format!(
                        "error: invalid argument {} for \"--no-settle\" flag: strconv.ParseBool: parsing {}: invalid syntax\nSee '{} --help' for usage.\n",
                        crate::validation::field::go_quote(&v),
                        crate::validation::field::go_quote(&v),
                        found.cmd.path()
                    ))]);
                } else {
                    self.dispatch(found, kept, io, &mut out);
                }
                is_sim
            }
        };
        if settle && !is_sim {
            if let Err(e) = self.cluster.advance(Self::SETTLE) {
                out.err(&format!("error: the simulated cluster failed: {e}\n"));
                out.code = 1;
            }
        }
        out
    }

    fn dispatch<'a>(
        &mut self,
        found: flags::Found,
        argv: Vec<&'a str>,
        io: &'a mut dyn ShellIo,
        out: &mut Output,
    ) {
        let cmd = found.cmd;
        let parsed = match flags::parse(&cmd.flags(), &found.args) {
            Ok(p) => p,
            Err(e) => {
                out.fail(&[KErr::Raw(format!(
                    "error: {e}\nSee '{} --help' for usage.\n",
                    cmd.path()
                ))]);
                return;
            }
        };
        for n in &parsed.notices {
            out.err(n);
        }
        if parsed.boolean("help", false) {
            out.out(&help(cmd));
            return;
        }
        let result = match cmd {
            Cmd::Root => {
                out.out(&help(cmd));
                Ok(())
            }
            Cmd::Set | Cmd::Rollout => {
                if parsed.args.is_empty() {
                    out.out(&help(cmd));
                    out.code = 1;
                    Ok(())
                } else {
                    Err(vec![KErr::Raw(format!(
                        "error: unknown command {}\nSee '{} -h' for help and examples\n",
                        crate::validation::field::go_quote(&parsed.args.join(" ")),
                        cmd.path()
                    ))])
                }
            }
            Cmd::Other(_) => fail(format!(
                "{} is not supported by kube-workloads' simulated cluster",
                crate::validation::field::go_quote(&cmd.path())
            )),
            _ => {
                if let Some(flag) = parsed.unsupported() {
                    out.fail(&[KErr::plain(format!(
                        "--{flag} is not supported by kube-workloads' simulated cluster"
                    ))]);
                    return;
                }
                let explicit = parsed.changed("namespace");
                let namespace = parsed
                    .value("namespace")
                    .filter(|n| !n.is_empty())
                    .unwrap_or("default")
                    .to_owned();
                let mut ctx = Ctx {
                    cmd,
                    argv,
                    flags: parsed,
                    namespace,
                    explicit_namespace: explicit,
                    io,
                };
                self.command(&mut ctx, out)
            }
        };
        if let Err(errs) = result {
            out.fail(&errs);
        }
    }

    fn command(&mut self, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
        match ctx.cmd {
            Cmd::Apply => write::apply(self, ctx, out),
            Cmd::Get => read::get(self, ctx, out),
            Cmd::Describe => read::describe(self, ctx, out),
            Cmd::Delete => write::delete(self, ctx, out),
            Cmd::Label => write::label(self, ctx, out, write::MetaField::Labels),
            Cmd::Annotate => write::label(self, ctx, out, write::MetaField::Annotations),
            Cmd::Scale => write::scale(self, ctx, out),
            Cmd::SetImage => write::set_image(self, ctx, out),
            Cmd::RolloutHistory => rollout::history(self, ctx, out),
            Cmd::RolloutUndo => rollout::undo(self, ctx, out),
            Cmd::RolloutStatus => rollout::status(self, ctx, out),
            Cmd::RolloutPause | Cmd::RolloutResume | Cmd::RolloutRestart => {
                rollout::pause_resume_restart(self, ctx, out)
            }
            Cmd::Sim => simcmd::sim(self, ctx, out),
            Cmd::Root | Cmd::Set | Cmd::Rollout | Cmd::Other(_) => Ok(()),
        }
    }
}

/// A short usage text (kubectl's full help is not reproduced).
fn help(cmd: Cmd) -> String {
    let (short, usage) = match cmd {
        Cmd::Root => {
            return "kubectl controls the Kubernetes cluster manager.\n\n\
                    This is kube-workloads' kubectl: it runs against a simulated cluster.\n\n\
                    Commands:\n  \
                    apply          Apply a configuration to a resource by file name or stdin\n  \
                    get            Display one or many resources\n  \
                    describe       Show details of a specific resource or group of resources\n  \
                    delete         Delete resources by file names, stdin, resources and names, or by resources and label selector\n  \
                    label          Update the labels on a resource\n  \
                    annotate       Update the annotations on a resource\n  \
                    scale          Set a new size for a deployment, replica set, or replication controller\n  \
                    set image      Update the image of a pod template\n  \
                    rollout        Manage the rollout of a resource\n  \
                    sim            Drive the simulated cluster (advance, settle, now, fault, lose-node, events, reset)\n\n\
                    Usage:\n  kubectl [flags] [options]\n"
                .to_owned();
        }
        Cmd::Apply => (
            "Apply a configuration to a resource by file name or stdin.",
            "apply (-f FILENAME | -k DIRECTORY)",
        ),
        Cmd::Get => (
            "Display one or many resources.",
            "get [(-o|--output=)json|yaml|name|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
        ),
        Cmd::Describe => (
            "Show details of a specific resource or group of resources.",
            "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
        ),
        Cmd::Delete => (
            "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
            "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
        ),
        Cmd::Label => (
            "Update the labels on a resource.",
            "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
        ),
        Cmd::Annotate => (
            "Update the annotations on one or more resources.",
            "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
        ),
        Cmd::Scale => (
            "Set a new size for a deployment, replica set, replication controller, or stateful set.",
            "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
        ),
        Cmd::Set => (
            "Configure application resources. Subcommands: image.",
            "set SUBCOMMAND",
        ),
        Cmd::SetImage => (
            "Update existing container image(s) of resources.",
            "set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
        ),
        Cmd::Rollout => (
            "Manage the rollout of one or many resources. Subcommands: history, pause, restart, resume, status, undo.",
            "rollout SUBCOMMAND",
        ),
        Cmd::RolloutHistory => (
            "View previous rollout revisions and configurations.",
            "rollout history (TYPE NAME | TYPE/NAME) [flags]",
        ),
        Cmd::RolloutPause => (
            "Mark the provided resource as paused.",
            "rollout pause RESOURCE",
        ),
        Cmd::RolloutRestart => ("Restart a resource.", "rollout restart RESOURCE"),
        Cmd::RolloutResume => ("Resume a paused resource.", "rollout resume RESOURCE"),
        Cmd::RolloutStatus => (
            "Show the status of the rollout.",
            "rollout status (TYPE NAME | TYPE/NAME) [flags]",
        ),
        Cmd::RolloutUndo => (
            "Roll back to a previous rollout.",
            "rollout undo (TYPE NAME | TYPE/NAME) [flags]",
        ),
        Cmd::Sim => (
            "Drive the simulated cluster.",
            "sim (advance DURATION | settle | now | fault (quota N|none | fail-deletes N | lag on|off) | lose-node NAME | events | reset)",
        ),
        Cmd::Other(_) => ("Not supported by the simulated cluster.", ""),
    };
    format!("{short}\n\nUsage:\n  kubectl {usage} [options]\n")
}

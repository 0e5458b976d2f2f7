//! A kubectl-compatible command line over a simulated cluster kept in a local state file, so
//! the book's commands can be typed one at a time:
//!
//! ```text
//! cargo run --example kubectl -- apply -f examples/manifests/sample-deployment.yaml --record
//! cargo run --example kubectl -- get pods
//! cargo run --example kubectl -- set image deployment sample-deployment nginx-container=nginx:1.17
//! cargo run --example kubectl -- rollout status deployment sample-deployment
//! cargo run --example kubectl -- sim reset
//! ```
//!
//! The state file is `--state PATH` if given, else `$KUBE_WORKLOADS_STATE`, else
//! `.kube-workloads/state.yaml` in the current directory; without it the cluster starts empty.
//! It holds the session (every command with the files it read), which each invocation replays
//! before running its own command: see `kube_workloads::sim::shell` for the design.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kube_workloads::sim::shell::{DirEntry, IoError, Session, Shell, ShellIo, Stream};

/// The real file system and standard input.
struct RealIo;

fn io_error(e: &std::io::Error) -> IoError {
    match e.kind() {
        std::io::ErrorKind::NotFound => IoError::NotFound,
        _ => IoError::Other(e.to_string()),
    }
}

impl ShellIo for RealIo {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        let p = Path::new(path);
        if p.is_dir() {
            return Err(IoError::IsADirectory);
        }
        std::fs::read(p).map_err(|e| io_error(&e))
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, IoError> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|e| io_error(&e))? {
            let entry = entry.map_err(|e| io_error(&e))?;
            out.push(DirEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_dir: entry.path().is_dir(),
            });
        }
        Ok(out)
    }

    fn stdin(&mut self) -> Result<Vec<u8>, IoError> {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| io_error(&e))?;
        Ok(buf)
    }
}

/// Takes `--state PATH` / `--state=PATH` out of the command line.
fn take_state_flag(args: &mut Vec<String>) -> Result<Option<PathBuf>, String> {
    let mut state = None;
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--" {
            break;
        }
        if let Some(v) = args[i].strip_prefix("--state=") {
            state = Some(PathBuf::from(v));
            args.remove(i);
        } else if args[i] == "--state" {
            if i + 1 >= args.len() {
                return Err("error: flag needs an argument: --state".to_owned());
            }
            state = Some(PathBuf::from(args.remove(i + 1)));
            args.remove(i);
        } else {
            i += 1;
        }
    }
    Ok(state)
}

fn load(path: &Path) -> Result<Session, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Session::from_yaml(&text)
            .map_err(|e| format!("error: cannot read the state file {}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Session::default()),
        Err(e) => Err(format!(
            "error: cannot read the state file {}: {e}",
            path.display()
        )),
    }
}

fn save(path: &Path, session: &Session) -> Result<(), String> {
    let text = session
        .to_yaml()
        .map_err(|e| format!("error: cannot write the state file: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text)
        .map_err(|e| format!("error: cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("error: cannot write {}: {e}", path.display()))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let state = match take_state_flag(&mut args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let path = state
        .or_else(|| std::env::var_os("KUBE_WORKLOADS_STATE").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(".kube-workloads/state.yaml"));
    let mut session = match load(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let mut shell: Shell = match session.replay() {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot restore the simulated cluster from {}: {e}\n(delete the file to start over)",
                path.display()
            );
            return ExitCode::from(1);
        }
    };
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = session.run(&mut shell, &argv, &mut RealIo);
    let mut code = out.code;
    if let Err(e) = save(&path, &session) {
        eprintln!("{e}");
        code = 1;
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    for (stream, text) in out.interleaved() {
        // Output that cannot be written (a closed pipe) is dropped, as kubectl's would be.
        let _ = match stream {
            Stream::Stdout => stdout.lock().write_all(text.as_bytes()),
            _ => stderr.lock().write_all(text.as_bytes()),
        };
    }
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

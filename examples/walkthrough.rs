//! The book's kubectl session, end to end, on the simulated cluster: Pods, a ReplicaSet that
//! heals a deleted pod, and a Deployment rolled forward with `set image` and back with
//! `rollout undo`. Every command runs through [`kube_workloads::sim::shell::Shell`] (the same
//! kubectl the `kubectl` example offers), and everything printed after a `$ kubectl ...` line
//! is that command's real output on the simulator.
//!
//! ```text
//! cargo run --example walkthrough
//! ```
//!
//! Simulated time moves as a person's would: each command is followed by a few seconds of
//! cluster activity, and `rollout status` waits (in simulated time) until the rollout is done.
//! `nginx:1.17` is given a slower image pull than `nginx:1.16`, so the rolling update is still
//! under way when `rollout status` starts watching it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::time::Duration;

use kube_workloads::sim::shell::{MemoryFs, Shell, Stream};
use kube_workloads::sim::{Config, ImageProfile};

/// The manifests the session applies, by the file names it uses.
const MANIFESTS: &[(&str, &str)] = &[
    ("sample-pod.yaml", include_str!("manifests/sample-pod.yaml")),
    (
        "sample-2pod.yaml",
        include_str!("manifests/sample-2pod.yaml"),
    ),
    (
        "sample-2pod-fixed.yaml",
        include_str!("manifests/sample-2pod-fixed.yaml"),
    ),
    (
        "sample-2pod-same-port.yaml",
        include_str!("manifests/sample-2pod-same-port.yaml"),
    ),
    ("sample-rs.yaml", include_str!("manifests/sample-rs.yaml")),
    (
        "sample-deployment.yaml",
        include_str!("manifests/sample-deployment.yaml"),
    ),
];

/// One part of the transcript.
#[derive(Debug)]
pub enum Entry {
    /// A section heading.
    Section(&'static str),
    /// A remark between commands (`# ...`).
    Note(String),
    /// A command and what it printed.
    Command {
        /// The command line as typed (`kubectl ...`, possibly with a `| head`).
        line: String,
        /// What it printed, standard output and error in the order written (standard output
        /// already cut where the line pipes it through `head`).
        text: String,
        /// Its standard output alone (also cut).
        stdout: String,
        /// Its standard error alone.
        stderr: String,
        /// Its exit code.
        code: i32,
        /// Simulated seconds since the session started, when the command returned.
        at: i64,
        /// Simulated seconds the command itself waited (`rollout status`, `delete`), beyond
        /// the few seconds that pass after every command.
        waited: i64,
    },
}

/// The session: a shell over the simulated cluster plus the transcript so far.
struct Session {
    shell: Shell,
    fs: MemoryFs,
    start: i64,
    entries: Vec<Entry>,
}

impl Session {
    fn new() -> Self {
        let mut config = Config::default();
        // nginx:1.17 is not in the nodes' image cache yet: its pull takes a while.
        config.images.insert(
            "nginx:1.17".to_owned(),
            ImageProfile {
                start_delay: Duration::from_secs(6),
                ready_delay: Duration::from_secs(2),
                ..ImageProfile::default()
            },
        );
        let start = config.start.unix();
        let mut fs = MemoryFs::default();
        for (name, text) in MANIFESTS {
            fs.insert(name, *text);
        }
        Session {
            shell: Shell::new(config),
            fs,
            start,
            entries: Vec::new(),
        }
    }

    fn section(&mut self, title: &'static str) {
        self.entries.push(Entry::Section(title));
    }

    fn note(&mut self, text: impl Into<String>) {
        self.entries.push(Entry::Note(text.into()));
    }

    /// Runs `kubectl ARGS`.
    fn kubectl(&mut self, args: &str) {
        self.kubectl_head(args, None);
    }

    /// Runs kubectl with `argv[1..]` as its arguments exactly (spaces inside one included),
    /// showing `argv[0]` in the command line where the first argument goes.
    fn kubectl_argv(&mut self, argv: &[&str]) {
        let Some((shown, args)) = argv.split_first() else {
            return;
        };
        let Some((first, rest)) = args.split_first() else {
            return;
        };
        let typed = format!("{shown} {}", rest.join(" "));
        let mut full = vec!["kubectl", first];
        full.extend(rest);
        self.record(typed, full, None);
    }

    /// Runs `kubectl ARGS`, keeping only the first `head` lines of standard output when given
    /// (`kubectl ARGS | head -n N`).
    fn kubectl_head(&mut self, args: &str, head: Option<usize>) {
        let mut argv = vec!["kubectl"];
        argv.extend(args.split_whitespace());
        self.record(args.to_owned(), argv, head);
    }

    /// Runs `argv`, recording it as `kubectl TYPED`.
    fn record(&mut self, args: String, argv: Vec<&str>, head: Option<usize>) {
        let before = self.shell.cluster().now().unix();
        let output = self.shell.run(&argv, &mut self.fs);
        let mut line = format!("kubectl {args}");
        let keep = head.unwrap_or(usize::MAX);
        if let Some(n) = head {
            line.push_str(&if n == 10 {
                " | head".to_owned()
            } else {
                format!(" | head -n {n}")
            });
        }
        let mut text = String::new();
        let mut stdout_lines = 0;
        for (stream, chunk) in output.interleaved() {
            match stream {
                Stream::Stdout => {
                    for l in chunk.split_inclusive('\n') {
                        if stdout_lines < keep {
                            text.push_str(l);
                            stdout_lines += 1;
                        }
                    }
                }
                _ => text.push_str(chunk),
            }
        }
        let after = self.shell.cluster().now().unix();
        let settle = i64::try_from(Shell::SETTLE.as_secs()).unwrap_or(0);
        let at = after - self.start;
        let waited = (after - before - settle).max(0);
        self.entries.push(Entry::Command {
            line,
            text,
            stdout: output.stdout.split_inclusive('\n').take(keep).collect(),
            stderr: output.stderr.clone(),
            code: output.code,
            at,
            waited,
        });
    }

    /// The name of the first pod (by name) whose name starts with `prefix`.
    fn pod_named(&self, prefix: &str) -> String {
        let mut names: Vec<&str> = self
            .shell
            .cluster()
            .pods()
            .map(|p| p.metadata.name.as_str())
            .filter(|n| n.starts_with(prefix))
            .collect();
        names.sort_unstable();
        names.first().expect("a pod of the ReplicaSet").to_string()
    }
}

/// Runs the book's session and returns its transcript.
#[must_use]
pub fn transcript() -> Vec<Entry> {
    let mut s = Session::new();

    s.section("Pods");
    s.note(
        "A Pod: one nginx:1.16 container. Create it, list it, and list it with its IP and node.",
    );
    s.kubectl("apply -f sample-pod.yaml");
    s.kubectl("get pods");
    s.kubectl("get pods --output wide");

    s.note(
        "The book's two-container Pod writes `apiversion` and `kind: pod`: the manifest is \
         rejected before anything is created.",
    );
    s.kubectl("apply -f sample-2pod.yaml");
    s.note("With `apiVersion: v1` and `kind: Pod` both containers run, sharing one IP.");
    s.kubectl("apply -f sample-2pod-fixed.yaml");
    s.kubectl("get pods sample-2pod --output wide");
    s.note(
        "Containers of a Pod share one network namespace, so two of them cannot both bind \
         80/TCP. The API server accepts such a Pod but warns (in a real cluster the second \
         nginx then fails to bind; the simulator does not run processes).",
    );
    s.kubectl("apply -f sample-2pod-same-port.yaml");
    s.kubectl("delete pod sample-pod sample-2pod sample-2pod-same-port");

    s.section("ReplicaSet: keeping N pods, and automated recovery");
    s.kubectl("apply -f sample-rs.yaml");
    s.kubectl("get replicasets -o wide");
    s.kubectl("get pods -o wide");
    let victim = s.pod_named("sample-rs-");
    s.note(format!(
        "Delete one of its pods ({victim}): the ReplicaSet creates a replacement."
    ));
    s.kubectl(&format!("delete pod {victim}"));
    s.kubectl("get pods -o wide");
    s.kubectl("describe replicaset sample-rs");
    s.note("The Deployment below selects the same `app: sample-app` pods; remove the ReplicaSet first.");
    s.kubectl("delete -f sample-rs.yaml");

    s.section("Deployment: rolling update");
    s.kubectl("apply -f sample-deployment.yaml --record");
    s.kubectl_head("get replicasets -o yaml", Some(10));
    s.kubectl("get deployments");
    s.kubectl("get replicasets");
    s.kubectl("get pods");
    s.note(
        "A change to the pod template (here the image) makes a new ReplicaSet; a change of \
         `replicas` would not.",
    );
    s.note(
        "The book quotes `\"set image\"`, which the shell passes as one word; kubectl rejects it:",
    );
    s.kubectl_argv(&[
        "\"set image\"",
        "set image",
        "deployment",
        "sample-deployment",
        "nginx-container=nginx:1.17",
        "--record",
    ]);
    s.kubectl("set image deployment sample-deployment nginx-container=nginx:1.17 --record");
    s.kubectl("rollout status deployment sample-deployment");
    s.note("The old ReplicaSet stays, at 0 replicas, so that a rollback can reuse it.");
    s.kubectl("get replicasets");

    s.section("Rollback");
    s.kubectl("rollout history deployment sample-deployment");
    s.kubectl("rollout history deployment sample-deployment --revision 1");
    s.kubectl("rollout history deployment sample-deployment --revision 2");
    s.note("The book's command has a typo, which kubectl rejects before doing anything:");
    s.kubectl("rollout undo deployment sample-deployment --to-revisino 1");
    s.kubectl("rollout undo deployment sample-deployment --to-revision 1");
    s.kubectl("rollout status deployment sample-deployment");
    s.note(
        "Revision 1's ReplicaSet is scaled up again and becomes revision 3; revision 1 is no \
         longer listed.",
    );
    s.kubectl("get replicasets");
    s.kubectl("rollout history deployment sample-deployment");
    s.note("Without --to-revision, undo goes back to the previous revision (2, now 4).");
    s.kubectl("rollout undo deployment sample-deployment");
    s.kubectl("rollout status deployment sample-deployment");
    s.kubectl("get replicasets");
    s.entries
}

/// The transcript as a terminal would show it.
#[must_use]
pub fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        match e {
            Entry::Section(title) => {
                let _ = writeln!(out, "## {title}\n");
            }
            Entry::Note(text) => {
                for line in wrap(text, 96) {
                    let _ = writeln!(out, "# {line}");
                }
            }
            Entry::Command {
                line,
                text,
                code,
                at,
                waited,
                ..
            } => {
                let _ = writeln!(out, "$ {line}");
                out.push_str(text);
                if *code != 0 {
                    let _ = writeln!(out, "[exit status {code}]");
                }
                if *waited > 0 {
                    let _ = writeln!(
                        out,
                        "[waited {waited} s of simulated time; the clock now reads +{at} s]"
                    );
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn main() {
    print!("{}", render(&transcript()));
}

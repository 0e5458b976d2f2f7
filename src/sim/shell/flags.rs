//! The command line as cobra and pflag read it for kubectl v1.32: the command tree, every flag
//! of the commands the shell runs (with its type, shorthand and optional value), parsing, and
//! the error texts (`unknown flag: --x`, `unknown shorthand flag: 'x' in -x`, `flag needs an
//! argument: --x`, `invalid argument "x" for "--replicas" flag: ...`).

use std::time::Duration;

/// A flag's value type, as pflag parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    /// `strconv.ParseBool`.
    Bool,
    /// Any string.
    Str,
    /// `strconv.ParseInt(s, 0, 64)` (pflag's `int` and `int64`).
    Int,
    /// `time.ParseDuration`.
    Duration,
    /// A string slice: comma-separated values, repeatable (`-f a,b -f c`).
    Slice,
    /// A string array: repeatable, no comma splitting.
    Array,
}

/// What the simulated kubectl does with a flag kubectl v1.32 defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Support {
    /// Implemented.
    Yes,
    /// Accepted and without effect on a simulated cluster (kubeconfig, field manager, ...).
    Ignored,
    /// Rejected with an explanation (`--dry-run`, `--server-side`, ...).
    No,
}

/// One flag (pflag's `Flag`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Flag {
    pub(super) name: &'static str,
    pub(super) short: Option<char>,
    pub(super) ty: Ty,
    /// pflag's `NoOptDefVal`: the value when the flag is given without one.
    pub(super) no_opt: Option<&'static str>,
    /// pflag's `Deprecated` message.
    pub(super) deprecated: Option<&'static str>,
    pub(super) support: Support,
}

const fn f(name: &'static str, short: Option<char>, ty: Ty, support: Support) -> Flag {
    Flag {
        name,
        short,
        ty,
        no_opt: match ty {
            Ty::Bool => Some("true"),
            _ => None,
        },
        deprecated: None,
        support,
    }
}

const fn opt(name: &'static str, no_opt: &'static str, support: Support) -> Flag {
    Flag {
        name,
        short: None,
        ty: Ty::Str,
        no_opt: Some(no_opt),
        deprecated: None,
        support,
    }
}

use Support::{Ignored, No, Yes};
use Ty::{Array, Bool, Int, Slice, Str};

/// kubectl's persistent flags (kubeconfig, klog, profiling), `-h` and the simulator's own
/// `--no-settle` (removed from the command line before parsing).
const GLOBAL: &[Flag] = &[
    f("help", Some('h'), Bool, Yes),
    f("as", None, Str, Ignored),
    f("as-group", None, Array, Ignored),
    f("as-uid", None, Str, Ignored),
    f("cache-dir", None, Str, Ignored),
    f("certificate-authority", None, Str, Ignored),
    f("client-certificate", None, Str, Ignored),
    f("client-key", None, Str, Ignored),
    f("cluster", None, Str, Ignored),
    f("context", None, Str, Ignored),
    f("disable-compression", None, Bool, Ignored),
    f("insecure-skip-tls-verify", None, Bool, Ignored),
    f("kubeconfig", None, Str, Ignored),
    f("match-server-version", None, Bool, Ignored),
    f("namespace", Some('n'), Str, Yes),
    f("password", None, Str, Ignored),
    f("profile", None, Str, Ignored),
    f("profile-output", None, Str, Ignored),
    f("request-timeout", None, Str, Ignored),
    f("server", Some('s'), Str, Ignored),
    f("tls-server-name", None, Str, Ignored),
    f("token", None, Str, Ignored),
    f("user", None, Str, Ignored),
    f("username", None, Str, Ignored),
    f("warnings-as-errors", None, Bool, Ignored),
    f("v", Some('v'), Int, Ignored),
    f("vmodule", None, Str, Ignored),
    f("log-flush-frequency", None, Ty::Duration, Ignored),
];

const RECORD: Flag = Flag {
    name: "record",
    short: None,
    ty: Bool,
    no_opt: Some("true"),
    deprecated: Some("--record will be removed in the future"),
    support: Yes,
};

const FILES: &[Flag] = &[
    f("filename", Some('f'), Slice, Yes),
    f("kustomize", Some('k'), Str, No),
    f("recursive", Some('R'), Bool, Yes),
];

/// `-o` and the template flags of commands that print objects by name.
const PRINT: &[Flag] = &[
    f("output", Some('o'), Str, No),
    f("template", None, Str, No),
    f("allow-missing-template-keys", None, Bool, Ignored),
    f("show-managed-fields", None, Bool, Ignored),
];

const DRY_RUN: Flag = opt("dry-run", "unchanged", No);

const APPLY: &[Flag] = &[
    RECORD,
    DRY_RUN,
    f("selector", Some('l'), Str, No),
    f("all", None, Bool, No),
    f("prune", None, Bool, No),
    f("prune-allowlist", None, Array, No),
    f("force", None, Bool, No),
    f("overwrite", None, Bool, Ignored),
    opt("cascade", "background", No),
    f("grace-period", None, Int, No),
    f("timeout", None, Ty::Duration, Ignored),
    f("wait", None, Bool, Ignored),
    opt("validate", "strict", Yes),
    f("server-side", None, Bool, No),
    f("field-manager", None, Str, Ignored),
    f("force-conflicts", None, Bool, No),
    f("openapi-patch", None, Bool, Ignored),
    f("applyset", None, Str, No),
];

const GET: &[Flag] = &[
    f("output", Some('o'), Str, Yes),
    f("template", None, Str, No),
    f("allow-missing-template-keys", None, Bool, Ignored),
    f("show-managed-fields", None, Bool, Ignored),
    f("label-columns", Some('L'), Slice, No),
    f("show-kind", None, Bool, Yes),
    f("show-labels", None, Bool, Yes),
    f("sort-by", None, Str, No),
    f("no-headers", None, Bool, Yes),
    f("watch", Some('w'), Bool, No),
    f("watch-only", None, Bool, No),
    f("output-watch-events", None, Bool, No),
    f("ignore-not-found", None, Bool, Yes),
    f("selector", Some('l'), Str, Yes),
    f("field-selector", None, Str, No),
    f("all-namespaces", Some('A'), Bool, Yes),
    f("chunk-size", None, Int, Ignored),
    f("raw", None, Str, No),
    f("server-print", None, Bool, Ignored),
    f("subresource", None, Str, No),
];

const DESCRIBE: &[Flag] = &[
    f("selector", Some('l'), Str, Yes),
    f("all-namespaces", Some('A'), Bool, Yes),
    f("show-events", None, Bool, Yes),
    f("chunk-size", None, Int, Ignored),
];

const DELETE: &[Flag] = &[
    f("all", None, Bool, Yes),
    f("all-namespaces", Some('A'), Bool, Yes),
    opt("cascade", "background", Yes),
    DRY_RUN,
    f("field-selector", None, Str, No),
    f("force", None, Bool, No),
    f("grace-period", None, Int, No),
    f("ignore-not-found", None, Bool, Yes),
    f("interactive", Some('i'), Bool, No),
    f("now", None, Bool, No),
    f("output", Some('o'), Str, Yes),
    f("raw", None, Str, No),
    f("selector", Some('l'), Str, Yes),
    f("timeout", None, Ty::Duration, Yes),
    f("wait", None, Bool, Yes),
];

const LABEL: &[Flag] = &[
    RECORD,
    f("overwrite", None, Bool, Yes),
    f("list", None, Bool, Yes),
    f("local", None, Bool, No),
    f("field-selector", None, Str, No),
    f("all", None, Bool, Yes),
    f("all-namespaces", Some('A'), Bool, Yes),
    f("resource-version", None, Str, Yes),
    DRY_RUN,
    f("field-manager", None, Str, Ignored),
    f("selector", Some('l'), Str, Yes),
];

const SCALE: &[Flag] = &[
    RECORD,
    DRY_RUN,
    f("selector", Some('l'), Str, Yes),
    f("all", None, Bool, Yes),
    f("resource-version", None, Str, Yes),
    f("current-replicas", None, Int, Yes),
    f("replicas", None, Int, Yes),
    f("timeout", None, Ty::Duration, Ignored),
];

const SET_IMAGE: &[Flag] = &[
    RECORD,
    DRY_RUN,
    f("selector", Some('l'), Str, Yes),
    f("all", None, Bool, Yes),
    f("local", None, Bool, No),
    f("field-manager", None, Str, Ignored),
];

const ROLLOUT_COMMON: &[Flag] = &[f("selector", Some('l'), Str, Yes)];

const ROLLOUT_HISTORY: &[Flag] = &[f("revision", None, Int, Yes)];

const ROLLOUT_UNDO: &[Flag] = &[f("to-revision", None, Int, Yes), DRY_RUN];

const ROLLOUT_STATUS: &[Flag] = &[
    f("watch", Some('w'), Bool, Yes),
    f("revision", None, Int, Yes),
    f("timeout", None, Ty::Duration, Yes),
];

const FIELD_MANAGER: &[Flag] = &[f("field-manager", None, Str, Ignored)];

/// The commands of the shell. Commands kubectl has and the simulator does not run are
/// [`Cmd::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmd {
    Root,
    Apply,
    Get,
    Describe,
    Delete,
    Label,
    Annotate,
    Scale,
    Set,
    SetImage,
    Rollout,
    RolloutHistory,
    RolloutPause,
    RolloutRestart,
    RolloutResume,
    RolloutStatus,
    RolloutUndo,
    Sim,
    /// A kubectl command the simulator does not implement (`kubectl logs`, `kubectl set env`).
    Other(&'static str),
}

/// kubectl v1.32's top-level commands in the order they are added to the root command (the
/// order cobra's suggestions come in), then the simulator's `sim`.
const ROOT_CHILDREN: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
    "sim",
];

const SET_CHILDREN: &[&str] = &[
    "env",
    "image",
    "resources",
    "selector",
    "serviceaccount",
    "subject",
];

const ROLLOUT_CHILDREN: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

impl Cmd {
    /// `kubectl rollout undo`.
    pub(super) fn path(self) -> String {
        let tail = match self {
            Cmd::Root => "",
            Cmd::Apply => "apply",
            Cmd::Get => "get",
            Cmd::Describe => "describe",
            Cmd::Delete => "delete",
            Cmd::Label => "label",
            Cmd::Annotate => "annotate",
            Cmd::Scale => "scale",
            Cmd::Set => "set",
            Cmd::SetImage => "set image",
            Cmd::Rollout => "rollout",
            Cmd::RolloutHistory => "rollout history",
            Cmd::RolloutPause => "rollout pause",
            Cmd::RolloutRestart => "rollout restart",
            Cmd::RolloutResume => "rollout resume",
            Cmd::RolloutStatus => "rollout status",
            Cmd::RolloutUndo => "rollout undo",
            Cmd::Sim => "sim",
            Cmd::Other(p) => p,
        };
        if tail.is_empty() {
            "kubectl".to_owned()
        } else {
            format!("kubectl {tail}")
        }
    }

    fn children(self) -> &'static [&'static str] {
        match self {
            Cmd::Root => ROOT_CHILDREN,
            Cmd::Set => SET_CHILDREN,
            Cmd::Rollout => ROLLOUT_CHILDREN,
            _ => &[],
        }
    }

    fn child(self, name: &str) -> Option<Cmd> {
        if !self.children().contains(&name) {
            return None;
        }
        Some(match (self, name) {
            (Cmd::Root, "apply") => Cmd::Apply,
            (Cmd::Root, "get") => Cmd::Get,
            (Cmd::Root, "describe") => Cmd::Describe,
            (Cmd::Root, "delete") => Cmd::Delete,
            (Cmd::Root, "label") => Cmd::Label,
            (Cmd::Root, "annotate") => Cmd::Annotate,
            (Cmd::Root, "scale") => Cmd::Scale,
            (Cmd::Root, "set") => Cmd::Set,
            (Cmd::Root, "rollout") => Cmd::Rollout,
            (Cmd::Root, "sim") => Cmd::Sim,
            (Cmd::Set, "image") => Cmd::SetImage,
            (Cmd::Rollout, "history") => Cmd::RolloutHistory,
            (Cmd::Rollout, "pause") => Cmd::RolloutPause,
            (Cmd::Rollout, "restart") => Cmd::RolloutRestart,
            (Cmd::Rollout, "resume") => Cmd::RolloutResume,
            (Cmd::Rollout, "status") => Cmd::RolloutStatus,
            (Cmd::Rollout, "undo") => Cmd::RolloutUndo,
            (Cmd::Set, other) => Cmd::Other(static_path("set", other)),
            (_, other) => Cmd::Other(static_path("", other)),
        })
    }

    /// The command's own flags (globals excluded).
    fn own_flags(self) -> Vec<Flag> {
        let parts: &[&[Flag]] = match self {
            Cmd::Apply => &[APPLY, FILES, PRINT],
            Cmd::Get => &[GET, FILES],
            Cmd::Describe => &[DESCRIBE, FILES],
            Cmd::Delete => &[DELETE, FILES],
            Cmd::Label | Cmd::Annotate => &[LABEL, FILES, PRINT],
            Cmd::Scale => &[SCALE, FILES, PRINT],
            Cmd::SetImage => &[SET_IMAGE, FILES, PRINT],
            Cmd::RolloutHistory => &[ROLLOUT_HISTORY, ROLLOUT_COMMON, FILES, PRINT],
            Cmd::RolloutUndo => &[ROLLOUT_UNDO, ROLLOUT_COMMON, FILES, PRINT],
            Cmd::RolloutStatus => &[ROLLOUT_STATUS, ROLLOUT_COMMON, FILES],
            Cmd::RolloutPause | Cmd::RolloutResume | Cmd::RolloutRestart => {
                &[FIELD_MANAGER, ROLLOUT_COMMON, FILES, PRINT]
            }
            _ => &[],
        };
        parts.iter().flat_map(|p| p.iter().copied()).collect()
    }

    /// Every flag the command accepts: its own, then the globals.
    pub(super) fn flags(self) -> Vec<Flag> {
        let mut v = self.own_flags();
        v.extend_from_slice(GLOBAL);
        v
    }
}

/// The command's flags as `--record` reads them ([`crate::kubectl::change_cause`]).
pub(super) fn flag_specs(cmd: Cmd) -> Vec<crate::kubectl::FlagSpec> {
    cmd.flags()
        .iter()
        .map(|f| crate::kubectl::FlagSpec {
            name: f.name,
            shorthand: f.short,
            no_opt_default: f.no_opt,
            classified: matches!(f.name, "token" | "password"),
        })
        .collect()
}

/// `kubectl set env` and the like, as a static path (a small closed set).
fn static_path(parent: &str, name: &str) -> &'static str {
    const ALL: &[(&str, &str, &str)] = &[
        ("set", "env", "set env"),
        ("set", "resources", "set resources"),
        ("set", "selector", "set selector"),
        ("set", "serviceaccount", "set serviceaccount"),
        ("set", "subject", "set subject"),
    ];
    if parent.is_empty() {
        return ROOT_CHILDREN
            .iter()
            .find(|c| **c == name)
            .copied()
            .unwrap_or("");
    }
    ALL.iter()
        .find(|(p, n, _)| *p == parent && *n == name)
        .map_or("", |(_, _, path)| *path)
}

/// The result of cobra's `Find`: the command and the arguments left for it.
pub(super) struct Found {
    pub(super) cmd: Cmd,
    pub(super) args: Vec<String>,
}

/// cobra's `stripFlags`: the positions of the arguments that are not flags or flag values.
fn non_flag_positions(args: &[String], flags: &[Flag]) -> Vec<usize> {
    let takes_value_long = |name: &str| {
        let name = normalize(name);
        !flags.iter().any(|f| f.name == name && f.no_opt.is_some())
    };
    let takes_value_short = |c: &str| {
        !flags
            .iter()
            .any(|f| f.short.is_some_and(|s| c.starts_with(s)) && f.no_opt.is_some())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = args[i].as_str();
        i += 1;
        if s == "--" {
            break;
        }
        let long_with_value = s.starts_with("--") && !s.contains('=') && takes_value_long(&s[2..]);
        let short_with_value =
            s.starts_with('-') && !s.contains('=') && s.len() == 2 && takes_value_short(&s[1..]);
        if long_with_value || short_with_value {
            if args.len() - i <= 1 {
                break;
            }
            i += 1;
            continue;
        }
        if !s.is_empty() && !s.starts_with('-') {
            out.push(i - 1);
        }
    }
    out
}

/// cobra's `Find` then `legacyArgs`: the command named by the leading words, or
/// `unknown command "x" for "kubectl"` (with cobra's suggestions).
pub(super) fn find(args: &[String]) -> Result<Found, String> {
    let mut cmd = Cmd::Root;
    let mut rest: Vec<String> = args.to_vec();
    loop {
        let positions = non_flag_positions(&rest, &cmd.flags());
        let Some(&first) = positions.first() else {
            break;
        };
        match cmd.child(&rest[first]) {
            Some(next) => {
                rest.remove(first);
                cmd = next;
                if matches!(cmd, Cmd::Other(_)) {
                    break;
                }
            }
            None => {
                if cmd == Cmd::Root {
                    let typed = &rest[first];
                    return Err(format!(
                        "unknown command {} for \"kubectl\"{}",
                        crate::validation::field::go_quote(typed),
                        suggestions(typed)
                    ));
                }
                break;
            }
        }
    }
    Ok(Found { cmd, args: rest })
}

/// cobra's `findSuggestions` for the root command.
fn suggestions(typed: &str) -> String {
    let lower = typed.to_lowercase();
    let mut found: Vec<&str> = Vec::new();
    for name in ROOT_CHILDREN {
        if levenshtein(&lower, name) <= 2 || name.starts_with(&lower) {
            found.push(name);
        }
        if *name == "delete" && lower == "rm" {
            found.push(name);
        }
    }
    if found.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n\nDid you mean this?\n");
    for n in found {
        s.push('\t');
        s.push_str(n);
        s.push('\n');
    }
    s
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// kubectl's `WordSepNormalizeFunc`: `_` in a flag name reads as `-`.
fn normalize(name: &str) -> String {
    name.replace('_', "-")
}

/// Parsed flags and the positional arguments.
#[derive(Clone, Debug, Default)]
pub(super) struct Parsed {
    /// Positional arguments, in order.
    pub(super) args: Vec<String>,
    /// `(flag, value)` in command-line order.
    values: Vec<(Flag, String)>,
    /// pflag's deprecation notices (printed by cobra when parsing succeeded).
    pub(super) notices: Vec<String>,
}

impl Parsed {
    /// Whether the flag was given.
    pub(super) fn changed(&self, name: &str) -> bool {
        self.values.iter().any(|(f, _)| f.name == name)
    }

    /// The last value of a flag.
    pub(super) fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(f, _)| f.name == name)
            .map(|(_, v)| v.as_str())
    }

    /// A string flag, or its default.
    pub(super) fn string(&self, name: &str) -> String {
        self.value(name).unwrap_or_default().to_owned()
    }

    /// A boolean flag (already validated), or its default.
    pub(super) fn boolean(&self, name: &str, default: bool) -> bool {
        self.value(name)
            .map_or(default, |v| parse_bool(v).unwrap_or(default))
    }

    /// An integer flag (already validated), or its default.
    pub(super) fn int(&self, name: &str, default: i64) -> i64 {
        self.value(name)
            .map_or(default, |v| parse_int(v).unwrap_or(default))
    }

    /// A duration flag (already validated), or zero.
    pub(super) fn duration(&self, name: &str) -> Option<GoDuration> {
        self.value(name).and_then(|v| parse_duration(v).ok())
    }

    /// Every value of a slice flag (comma-separated values split).
    pub(super) fn slice(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(f, _)| f.name == name)
            .flat_map(|(_, v)| {
                if v.is_empty() {
                    Vec::new()
                } else {
                    v.split(',').map(str::to_owned).collect()
                }
            })
            .collect()
    }

    /// The flags given that the simulator does not implement.
    pub(super) fn unsupported(&self) -> Option<&'static str> {
        self.values
            .iter()
            .find(|(f, _)| f.support == Support::No)
            .map(|(f, _)| f.name)
    }
}

/// A Go `time.Duration`, signed, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct GoDuration(pub(super) i128);

impl GoDuration {
    /// The duration when positive, rounded up to whole seconds (the simulated clock's tick).
    pub(super) fn positive(self) -> Option<Duration> {
        if self.0 <= 0 {
            return None;
        }
        let secs = (self.0 + 999_999_999) / 1_000_000_000;
        Some(Duration::from_secs(u64::try_from(secs).unwrap_or(u64::MAX)))
    }
}

/// pflag's parse of `args` against `flags`.
pub(super) fn parse(flags: &[Flag], args: &[String]) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let s = args[i].as_str();
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            p.args.push(s.to_owned());
            continue;
        }
        if let Some(long) = s.strip_prefix("--") {
            if long.is_empty() {
                p.args.extend(args[i..].iter().cloned());
                break;
            }
            if long.starts_with(['-', '=']) {
                return Err(format!("bad flag syntax: {s}"));
            }
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let Some(flag) = flags.iter().find(|f| f.name == normalize(name)) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = if let Some(v) = inline {
                v.to_owned()
            } else if let Some(d) = flag.no_opt {
                d.to_owned()
            } else if let Some(next) = args.get(i) {
                i += 1;
                next.clone()
            } else {
                return Err(format!("flag needs an argument: {s}"));
            };
            set(&mut p, *flag, value)?;
            continue;
        }
        let mut shorts = &s[1..];
        while let Some(c) = shorts.chars().next() {
            let Some(flag) = flags.iter().find(|f| f.short == Some(c)) else {
                return Err(format!("unknown shorthand flag: '{c}' in -{shorts}"));
            };
            let after = &shorts[c.len_utf8()..];
            let value;
            if after.len() > 1 && after.starts_with('=') {
                value = after[1..].to_owned();
                shorts = "";
            } else if let Some(d) = flag.no_opt {
                value = d.to_owned();
                shorts = after;
            } else if !after.is_empty() {
                value = after.to_owned();
                shorts = "";
            } else if let Some(next) = args.get(i) {
                i += 1;
                value = next.clone();
                shorts = "";
            } else {
                return Err(format!("flag needs an argument: '{c}' in -{shorts}"));
            }
            set(&mut p, *flag, value)?;
        }
    }
    Ok(p)
}

fn set(p: &mut Parsed, flag: Flag, value: String) -> Result<(), String> {
    let problem = match flag.ty {
        Ty::Bool => parse_bool(&value)
            .err()
            .map(|()| format!("strconv.ParseBool: parsing {}: invalid syntax", q(&value))),
        Ty::Int => parse_int(&value).err(),
        Ty::Duration => parse_duration(&value).err(),
        Ty::Str | Ty::Slice | Ty::Array => None,
    };
    if let Some(problem) = problem {
        let shown = match flag.short {
            Some(c) => format!("-{c}, --{}", flag.name),
            None => format!("--{}", flag.name),
        };
        return Err(format!(
            "invalid argument {} for {} flag: {problem}",
            q(&value),
            q(&shown)
        ));
    }
    if let Some(d) = flag.deprecated {
        p.notices
            .push(format!("Flag --{} has been deprecated, {d}\n", flag.name));
    }
    p.values.push((flag, value));
    Ok(())
}

fn q(s: &str) -> String {
    crate::validation::field::go_quote(s)
}

/// `strconv.ParseBool`.
pub(super) fn parse_bool(s: &str) -> Result<bool, ()> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(()),
    }
}

/// `strconv.ParseInt(s, 0, 64)`: decimal, `0x`, `0o`, `0b` and leading-`0` octal, an optional
/// sign, underscores between digits when a base prefix is given.
pub(super) fn parse_int(s: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", q(s));
    let range = || format!("strconv.ParseInt: parsing {}: value out of range", q(s));
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return Err(syntax());
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_owned(), true)
    } else {
        (10, lower.clone(), false)
    };
    let digits = if prefixed {
        if digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
            return Err(syntax());
        }
        digits.replace('_', "")
    } else {
        digits
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let magnitude = u128::from_str_radix(&digits, radix).map_err(|_| range())?;
    let v = if neg {
        -i128::try_from(magnitude).map_err(|_| range())?
    } else {
        i128::try_from(magnitude).map_err(|_| range())?
    };
    i64::try_from(v).map_err(|_| range())
}

/// `time.ParseDuration`: `300ms`, `-1.5h`, `2h45m`; units ns, us (µs), ms, s, m, h.
pub(super) fn parse_duration(s: &str) -> Result<GoDuration, String> {
    let invalid = || format!("time: invalid duration {}", q(s));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(GoDuration(0));
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(after) = rest.strip_prefix('.') {
            let frac_len = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            frac_part = &after[..frac_len];
            rest = &after[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", q(s)));
        }
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    q(unit),
                    q(s)
                ));
            }
        };
        let whole: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse::<i128>().map_err(|_| invalid())?
        };
        let mut v = whole.checked_mul(scale).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            let mut f = 0i128;
            let mut div = 1i128;
            for c in frac_part.chars().take(18) {
                f = f * 10 + i128::from(c.to_digit(10).unwrap_or(0));
                div *= 10;
            }
            v += f * scale / div;
        }
        total = total.checked_add(v).ok_or_else(invalid)?;
        if total > i128::from(i64::MAX) {
            return Err(invalid());
        }
    }
    Ok(GoDuration(if neg { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn finds_commands_past_global_flags() {
        let found = find(&strs(&["-n", "web", "rollout", "undo", "deploy", "x"])).unwrap();
        assert_eq!(found.cmd, Cmd::RolloutUndo);
        assert_eq!(found.args, strs(&["-n", "web", "deploy", "x"]));
        let err = find(&strs(&["gte", "pods"])).err().unwrap();
        assert_eq!(
            err,
            "unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"
        );
    }

    #[test]
    fn pflag_errors_read_as_pflag_writes_them() {
        let flags = Cmd::RolloutUndo.flags();
        assert_eq!(
            parse(&flags, &strs(&["--to-revisino", "1"])).unwrap_err(),
            "unknown flag: --to-revisino"
        );
        assert_eq!(
            parse(&flags, &strs(&["-x"])).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&flags, &strs(&["--to-revision"])).unwrap_err(),
            "flag needs an argument: --to-revision"
        );
        assert_eq!(
            parse(&flags, &strs(&["-n"])).unwrap_err(),
            "flag needs an argument: 'n' in -n"
        );
        assert_eq!(
            parse(&flags, &strs(&["--to-revision=x"])).unwrap_err(),
            "invalid argument \"x\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        );
        let p = parse(&flags, &strs(&["deploy/x", "--to_revision", "2", "-nweb"])).unwrap();
        assert_eq!(p.int("to-revision", 0), 2);
        assert_eq!(p.value("namespace"), Some("web"));
        assert_eq!(p.args, strs(&["deploy/x"]));
    }

    #[test]
    fn durations_parse_as_go_does() {
        assert_eq!(
            parse_duration("1h30m").unwrap().positive(),
            Some(Duration::from_secs(5400))
        );
        assert_eq!(
            parse_duration("1.5s").unwrap().positive(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_duration("30").unwrap_err(),
            "time: missing unit in duration \"30\""
        );
        assert_eq!(
            parse_duration("3x").unwrap_err(),
            "time: unknown unit \"x\" in duration \"3x\""
        );
        assert_eq!(
            parse_duration("x").unwrap_err(),
            "time: invalid duration \"x\""
        );
        assert_eq!(parse_int("0x10"), Ok(16));
        assert_eq!(parse_int("010"), Ok(8));
    }
}

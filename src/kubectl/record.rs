//! `--record`: the `kubernetes.io/change-cause` annotation kubectl builds from its command line
//! (cli-runtime's `parseCommandArguments`).
//!
//! The value is the base name of `argv[0]`, then every positional argument (sub-command names
//! included) joined by spaces, then every flag that was set, in command-line order, as
//! ` --<long name>=<value>`. Flags are parsed as pflag parses them: `--f=v`, `--f v`, `-fv`,
//! `-f v`, `-f=v`, grouped boolean shorthands, `--` ending the flags, and flags with an
//! optional value (`--dry-run` means `--dry-run=unchanged`, `--record` means `--record=true`).
//! An unknown flag makes the whole value empty, as upstream.

/// One flag of a command (pflag's `Flag`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    /// Long name (`filename`).
    pub name: &'static str,
    /// One-letter shorthand (`f`).
    pub shorthand: Option<char>,
    /// The value used when the flag is given without one (`true` for booleans); `None` when a
    /// value is required.
    pub no_opt_default: Option<&'static str>,
    /// Annotated `classified`: the value is recorded as `CLASSIFIED`.
    pub classified: bool,
}

const fn value(name: &'static str, shorthand: Option<char>) -> FlagSpec {
    FlagSpec {
        name,
        shorthand,
        no_opt_default: None,
        classified: false,
    }
}

const fn boolean(name: &'static str, shorthand: Option<char>) -> FlagSpec {
    FlagSpec {
        name,
        shorthand,
        no_opt_default: Some("true"),
        classified: false,
    }
}

const fn optional(name: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec {
        name,
        shorthand: None,
        no_opt_default: Some(default),
        classified: false,
    }
}

/// kubectl's global (persistent) flags, klog's included.
pub const GLOBAL_FLAGS: &[FlagSpec] = &[
    value("as", None),
    value("as-group", None),
    value("as-uid", None),
    value("cache-dir", None),
    value("certificate-authority", None),
    value("client-certificate", None),
    value("client-key", None),
    value("cluster", None),
    value("context", None),
    boolean("disable-compression", None),
    boolean("insecure-skip-tls-verify", None),
    value("kubeconfig", None),
    boolean("match-server-version", None),
    value("namespace", Some('n')),
    value("password", None),
    value("profile", None),
    value("profile-output", None),
    value("request-timeout", None),
    value("server", Some('s')),
    value("tls-server-name", None),
    value("token", None),
    value("user", None),
    value("username", None),
    boolean("warnings-as-errors", None),
    value("v", Some('v')),
    value("vmodule", None),
    value("log-flush-frequency", None),
];

const PRINT_FLAGS: &[FlagSpec] = &[
    value("output", Some('o')),
    value("template", None),
    boolean("allow-missing-template-keys", None),
    boolean("show-managed-fields", None),
];

const FILE_FLAGS: &[FlagSpec] = &[
    value("filename", Some('f')),
    value("kustomize", Some('k')),
    boolean("recursive", Some('R')),
];

const APPLY_FLAGS: &[FlagSpec] = &[
    boolean("record", None),
    optional("dry-run", "unchanged"),
    value("selector", Some('l')),
    boolean("all", None),
    boolean("prune", None),
    value("prune-allowlist", None),
    boolean("force", None),
    boolean("overwrite", None),
    optional("cascade", "background"),
    value("grace-period", None),
    value("timeout", None),
    boolean("wait", None),
    optional("validate", "strict"),
    boolean("server-side", None),
    value("field-manager", None),
    boolean("force-conflicts", None),
    boolean("openapi-patch", None),
    value("applyset", None),
];

const SET_IMAGE_FLAGS: &[FlagSpec] = &[
    boolean("record", None),
    optional("dry-run", "unchanged"),
    value("selector", Some('l')),
    boolean("all", None),
    boolean("local", None),
    value("field-manager", None),
];

const SCALE_FLAGS: &[FlagSpec] = &[
    boolean("record", None),
    optional("dry-run", "unchanged"),
    value("selector", Some('l')),
    boolean("all", None),
    value("resource-version", None),
    value("current-replicas", None),
    value("replicas", None),
    value("timeout", None),
];

/// The flags of a kubectl command (`"apply"`, `"set image"`, `"scale"`), globals included;
/// `None` for a command this crate does not know.
#[must_use]
pub fn command_flags(command: &str) -> Option<Vec<FlagSpec>> {
    let own: &[&[FlagSpec]] = match command {
        "apply" => &[APPLY_FLAGS, FILE_FLAGS, PRINT_FLAGS],
        "set image" => &[SET_IMAGE_FLAGS, FILE_FLAGS, PRINT_FLAGS],
        "scale" => &[SCALE_FLAGS, FILE_FLAGS, PRINT_FLAGS],
        _ => return None,
    };
    let mut v: Vec<FlagSpec> = own.iter().flat_map(|f| f.iter().copied()).collect();
    v.extend_from_slice(GLOBAL_FLAGS);
    Some(v)
}

fn lookup<'f>(flags: &'f [FlagSpec], name: &str) -> Option<&'f FlagSpec> {
    let normalized = name.replace('_', "-");
    flags.iter().find(|f| f.name == normalized)
}

/// Builds the change cause from `argv` (`argv[0]` is the program path) and the command's
/// flags. Returns the empty string when the arguments do not parse, as upstream.
#[must_use]
pub fn change_cause(argv: &[&str], flags: &[FlagSpec]) -> String {
    let Some((program, rest)) = argv.split_first() else {
        return String::new();
    };
    let mut positional: Vec<&str> = Vec::new();
    let mut recorded = String::new();
    let mut record = |f: &FlagSpec, v: &str| {
        recorded.push_str(" --");
        recorded.push_str(f.name);
        recorded.push('=');
        recorded.push_str(if f.classified { "CLASSIFIED" } else { v });
    };
    let mut i = 0;
    while i < rest.len() {
        let s = rest[i];
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            positional.push(s);
            continue;
        }
        if let Some(long) = s.strip_prefix("--") {
            if long.is_empty() {
                positional.extend_from_slice(&rest[i..]);
                break;
            }
            if long.starts_with(['-', '=']) {
                return String::new();
            }
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let Some(flag) = lookup(flags, name) else {
                return String::new();
            };
            let v = if let Some(v) = inline {
                v
            } else if let Some(d) = flag.no_opt_default {
                d
            } else if let Some(next) = rest.get(i) {
                i += 1;
                next
            } else {
                return String::new();
            };
            record(flag, v);
            continue;
        }
        let mut shorts = &s[1..];
        while let Some(c) = shorts.chars().next() {
            let Some(flag) = flags.iter().find(|f| f.shorthand == Some(c)) else {
                return String::new();
            };
            let after = &shorts[c.len_utf8()..];
            let v: &str;
            if after.len() > 1 && after.starts_with('=') {
                v = &after[1..];
                shorts = "";
            } else if let Some(d) = flag.no_opt_default {
                v = d;
                shorts = after;
            } else if !after.is_empty() {
                v = after;
                shorts = "";
            } else if let Some(next) = rest.get(i) {
                i += 1;
                v = next;
                shorts = "";
            } else {
                return String::new();
            }
            record(flag, v);
        }
    }
    let base = program
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty())
        .unwrap_or(".");
    let args = if positional.is_empty() {
        String::new()
    } else {
        format!(" {}", positional.join(" "))
    };
    format!("{base}{args}{recorded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(cmd: &str, argv: &[&str]) -> String {
        change_cause(argv, &command_flags(cmd).unwrap())
    }

    #[test]
    fn builds_the_recorded_command_line() {
        assert_eq!(
            cause(
                "set image",
                &[
                    "kubectl",
                    "set",
                    "image",
                    "deployment/demo-app",
                    "nginx=nginx:1.23",
                    "--record=true"
                ]
            ),
            "kubectl set image deployment/demo-app nginx=nginx:1.23 --record=true"
        );
        assert_eq!(
            cause(
                "apply",
                &[
                    "/usr/local/bin/kubectl",
                    "apply",
                    "-f",
                    "sample-deployment.yaml",
                    "--record"
                ]
            ),
            "kubectl apply --filename=sample-deployment.yaml --record=true"
        );
        assert_eq!(
            cause(
                "set image",
                &[
                    "kubectl",
                    "--record",
                    "-n",
                    "web",
                    "set",
                    "image",
                    "deploy",
                    "x",
                    "a=b",
                    "--dry-run"
                ]
            ),
            "kubectl set image deploy x a=b --record=true --namespace=web --dry-run=unchanged"
        );
        assert_eq!(cause("scale", &["kubectl", "scale", "--bogus"]), "");
        assert_eq!(
            cause(
                "scale",
                &[
                    "kubectl",
                    "scale",
                    "-Rf=a.yaml",
                    "--replicas",
                    "3",
                    "--",
                    "--x"
                ]
            ),
            "kubectl scale --x --recursive=true --filename=a.yaml --replicas=3"
        );
    }
}

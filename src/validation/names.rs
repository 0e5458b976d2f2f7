//! Name and label syntax rules (DNS-1123 labels and subdomains, qualified names, label values,
//! port names, percentages) with upstream's exact messages.
//!
//! Each check returns the list of messages upstream's `k8s.io/apimachinery/pkg/util/validation`
//! returns: empty means valid.

/// Longest DNS-1123 label.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// Longest DNS-1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// Longest name part of a qualified name, and longest label value.
pub const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
/// Longest label value.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const PERCENT_FMT: &str = "[0-9]+%";
const PERCENT_MSG: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";

/// Upstream's `RegexError`: the message, the examples (each followed by `', '`, joined with
/// `" or "`, hence the double space), and the regular expression.
#[must_use]
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut s = format!("{msg} (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push('\'');
        s.push_str(ex);
        s.push_str("', ");
    }
    s.push_str("regex used for validation is '");
    s.push_str(fmt);
    s.push_str("')");
    s
}

/// Upstream's `MaxLenError`.
#[must_use]
pub fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// Upstream's `EmptyError`.
pub const EMPTY_ERROR: &str = "must be non-empty";

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn matches_qualified_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_alnum(f)
                && is_alnum(l)
                && b.iter()
                    .all(|&c| is_alnum(c) || c == b'-' || c == b'_' || c == b'.')
        }
        _ => false,
    }
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_lower_alnum(f)
                && is_lower_alnum(l)
                && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
        }
        _ => false,
    }
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(matches_dns1123_label)
}

/// Allocation-free form of [`is_qualified_name`]: true when it returns no message.
#[must_use]
pub fn qualified_name_ok(value: &str) -> bool {
    let (prefix, name) = match value.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, value),
    };
    if name.contains('/') {
        return false;
    }
    if let Some(p) = prefix {
        if p.len() > DNS1123_SUBDOMAIN_MAX_LENGTH || !matches_dns1123_subdomain(p) {
            return false;
        }
    }
    name.len() <= QUALIFIED_NAME_MAX_LENGTH && matches_qualified_name(name)
}

/// Allocation-free form of [`is_valid_label_value`]: true when it returns no message.
#[must_use]
pub fn label_value_ok(value: &str) -> bool {
    value.len() <= LABEL_VALUE_MAX_LENGTH && (value.is_empty() || matches_qualified_name(value))
}

/// A label key or annotation key: optional DNS-subdomain prefix and `/`, then a name of at most
/// 63 characters (upstream's `IsQualifiedName`).
#[must_use]
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {EMPTY_ERROR}"));
            } else {
                for msg in is_dns1123_subdomain(prefix) {
                    errs.push(format!("prefix part {msg}"));
                }
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            )];
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {EMPTY_ERROR}"));
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_error(QUALIFIED_NAME_MAX_LENGTH)
        ));
    }
    if !matches_qualified_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// A label value: empty, or at most 63 alphanumerics, `-`, `_`, `.` starting and ending with an
/// alphanumeric (upstream's `IsValidLabelValue`).
#[must_use]
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !matches_qualified_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// A DNS-1123 label (container names, namespaces): at most 63 lowercase alphanumerics or `-`,
/// starting and ending with an alphanumeric.
#[must_use]
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// A DNS-1123 subdomain (object names): at most 253 characters of dot-separated labels.
#[must_use]
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// Object-name validation in prefix mode (for `generateName`): upstream's `maskTrailingDash`
/// replaces the last two bytes of a name ending in `-` by `a` (`web-` is checked as `wea`).
#[must_use]
pub fn mask_trailing_dash(name: &str) -> String {
    mask_trailing_dash_as_upstream(name)
}

/// A port name (`IsValidPortName`): at most 15 of `[-a-z0-9]`, at least one letter, no `--`, no
/// leading or trailing `-`. Each failed rule is its own message.
#[must_use]
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    let b = port.as_bytes();
    if !b
        .iter()
        .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned(),
        );
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)".to_owned());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".to_owned());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_owned());
    }
    errs
}

/// A port number in 1–65535 (`IsValidPortNum`).
#[must_use]
pub fn is_valid_port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_owned()]
    }
}

/// A percentage string `[0-9]+%` (`IsValidPercent`).
#[must_use]
pub fn is_valid_percent(percent: &str) -> Vec<String> {
    let ok = percent
        .strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()));
    if ok {
        Vec::new()
    } else {
        vec![regex_error(PERCENT_MSG, PERCENT_FMT, &["1%", "93%"])]
    }
}

/// Upstream's `maskTrailingDash` as it really behaves: when a name of two or more bytes ends in
/// `-`, its last *two* bytes are replaced by `a` (so `web-` is checked as `wea`).
fn mask_trailing_dash_as_upstream(name: &str) -> String {
    let b = name.as_bytes();
    if b.len() > 1 && name.ends_with('-') {
        let mut s = String::from_utf8_lossy(b.get(..b.len() - 2).unwrap_or_default()).into_owned();
        s.push('a');
        s
    } else {
        name.to_owned()
    }
}

/// Upstream's `NameIsDNSSubdomain(name, prefix)`: object names of Pods, ReplicaSets,
/// ReplicationControllers and Deployments. In prefix mode (`generateName`) a trailing `-` is
/// masked exactly as upstream masks it (see the crate notes: the last two bytes become `a`).
#[must_use]
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_subdomain(&mask_trailing_dash_as_upstream(name))
    } else {
        is_dns1123_subdomain(name)
    }
}

/// Upstream's `NameIsDNSLabel(name, prefix)`: namespace names.
#[must_use]
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_label(&mask_trailing_dash_as_upstream(name))
    } else {
        is_dns1123_label(name)
    }
}

/// Upstream's `IsValidPathSegmentName`: a name may not be `.` or `..` and may not contain `/`
/// or `%` (the generic check the API server runs on every object name).
#[must_use]
pub fn is_valid_path_segment_name(name: &str) -> Vec<String> {
    for bad in [".", ".."] {
        if name == bad {
            return vec![format!("may not be '{bad}'")];
        }
    }
    is_valid_path_segment_prefix(name)
}

/// Upstream's `IsValidPathSegmentPrefix` (for `generateName`): may not contain `/` or `%`.
#[must_use]
pub fn is_valid_path_segment_prefix(name: &str) -> Vec<String> {
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(**bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

/// Upstream's `InclusiveRangeError`: `must be between <lo> and <hi>, inclusive`.
#[must_use]
pub fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_upstream_table() {
        let ok = [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "now-with-dashes/now-with-dashes",
            "now.with.dots/simple",
            "now-with.dashes-and.dots/simple",
            "1-num.2-num/3-num",
            "1234/5678",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            "requests.storage-foo",
        ];
        for v in ok {
            assert!(
                is_qualified_name(v).is_empty(),
                "{v}: {:?}",
                is_qualified_name(v)
            );
        }
        assert!(is_qualified_name(&"a".repeat(63)).is_empty());
        assert!(is_qualified_name(&format!("{}/{}", "a".repeat(253), "b".repeat(63))).is_empty());
        let bad = [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
        ];
        for v in bad {
            assert!(!is_qualified_name(v).is_empty(), "{v}");
        }
        assert!(!is_qualified_name(&"a".repeat(64)).is_empty());
        assert!(!is_qualified_name(&format!("{}/abc", "a".repeat(254))).is_empty());
    }

    #[test]
    fn fast_checks_agree_with_message_checks() {
        let samples = [
            "simple",
            "a/b",
            "a/b/c",
            "/x",
            "x/",
            "Example.com/abc",
            "example.com/Abc",
            "",
            "-a",
            "a-",
            "a.b",
            "a_b",
            "ä",
            "1234/5678",
        ];
        for s in samples {
            assert_eq!(
                qualified_name_ok(s),
                is_qualified_name(s).is_empty(),
                "{s:?}"
            );
            assert_eq!(
                label_value_ok(s),
                is_valid_label_value(s).is_empty(),
                "{s:?}"
            );
        }
        let long = "a".repeat(64);
        assert_eq!(
            qualified_name_ok(&long),
            is_qualified_name(&long).is_empty()
        );
        assert_eq!(
            label_value_ok(&long),
            is_valid_label_value(&long).is_empty()
        );
    }

    #[test]
    fn qualified_name_messages_are_upstreams() {
        assert_eq!(
            is_qualified_name("only/one/slash"),
            vec![
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        );
        assert_eq!(
            is_qualified_name(&"a".repeat(64)),
            vec!["name part must be no more than 63 characters"]
        );
        assert_eq!(
            is_qualified_name("/simple"),
            vec!["prefix part must be non-empty"]
        );
    }

    #[test]
    fn label_values_upstream_table() {
        for v in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            "",
        ] {
            assert!(is_valid_label_value(v).is_empty(), "{v}");
        }
        assert!(is_valid_label_value(&"a".repeat(63)).is_empty());
        for v in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is.Māori.sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
        ] {
            assert!(!is_valid_label_value(v).is_empty(), "{v}");
        }
        assert_eq!(
            is_valid_label_value(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
    }

    #[test]
    fn dns_labels_upstream_table() {
        for v in "a ab abc a1 a-1 a--1--2--b 0 01 012 1a 1-a 1--a--b--2".split(' ') {
            assert!(is_dns1123_label(v).is_empty(), "{v}");
        }
        assert!(is_dns1123_label(&"a".repeat(63)).is_empty());
        for v in [
            "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_",
            "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ",
            " a", "a b", "1 ", " 1", "1 2",
        ] {
            assert!(!is_dns1123_label(v).is_empty(), "{v:?}");
        }
        assert!(!is_dns1123_label(&"a".repeat(64)).is_empty());
        assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
        assert_eq!(
            is_dns1123_label("Web"),
            vec![
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
    }

    #[test]
    fn dns_subdomains_upstream_table() {
        for v in ["a", "a.b.c.d.e", "1.2.3.4.5", "aaa", "a--1--2--b.c"] {
            assert!(is_dns1123_subdomain(v).is_empty(), "{v}");
        }
        assert!(is_dns1123_subdomain(&"a".repeat(253)).is_empty());
        for v in [
            "", "a..b", "A.a", "a@b", "a,b", "a;b", "a:b", "a%b", "a?b", "a$b", ".a", "a.",
        ] {
            assert!(!is_dns1123_subdomain(v).is_empty(), "{v}");
        }
        assert!(!is_dns1123_subdomain(&"a".repeat(254)).is_empty());
    }

    #[test]
    fn port_names_and_numbers_upstream_table() {
        for v in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c",
            "1-a-2-b-3",
        ] {
            assert!(is_valid_port_name(v).is_empty(), "{v}");
        }
        for v in [
            "longerthan15characters",
            "",
            "aaaaaaaaaaaaaaaa",
            "12345",
            "1-2-3-4",
            "-begin",
            "end-",
            "two--hyphens",
            "whois++",
        ] {
            assert!(!is_valid_port_name(v).is_empty(), "{v}");
        }
        for p in [1, 2, 1000, 16384, 32768, 65535] {
            assert!(is_valid_port_num(p).is_empty());
        }
        for p in [0, -1, 65536, 100_000] {
            assert!(!is_valid_port_num(p).is_empty());
        }
    }

    #[test]
    fn percents() {
        assert!(is_valid_percent("25%").is_empty());
        assert!(!is_valid_percent("%").is_empty());
        assert!(!is_valid_percent("25").is_empty());
        assert!(!is_valid_percent("-5%").is_empty());
        assert_eq!(
            mask_trailing_dash("web-"),
            "wea",
            "upstream drops the last two bytes"
        );
        assert_eq!(mask_trailing_dash("-"), "-");
    }

    #[test]
    fn name_rules_mask_generate_name_as_upstream() {
        // `web-` is checked as `wea`: valid.
        assert!(name_is_dns_subdomain("web-", true).is_empty());
        // Upstream drops two bytes: `.-` becomes `a`, which is valid.
        assert!(name_is_dns_subdomain(".-", true).is_empty());
        assert!(!name_is_dns_subdomain(".-", false).is_empty());
        // A 254-byte prefix ending in `-` is checked as 253 bytes.
        let long = format!("{}-", "a".repeat(253));
        assert!(name_is_dns_subdomain(&long, true).is_empty());
        assert!(!name_is_dns_subdomain("-", true).is_empty());
        assert_eq!(
            name_is_dns_label("a.b", false),
            vec!["must not contain dots"]
        );
        assert!(name_is_dns_label("ns-", true).is_empty());
    }

    #[test]
    fn path_segment_names() {
        assert_eq!(is_valid_path_segment_name(".."), vec!["may not be '..'"]);
        assert_eq!(is_valid_path_segment_name("."), vec!["may not be '.'"]);
        assert_eq!(
            is_valid_path_segment_name("a/b%c"),
            vec!["may not contain '/'", "may not contain '%'"]
        );
        assert!(is_valid_path_segment_name("ok").is_empty());
        assert!(is_valid_path_segment_prefix("..").is_empty());
        assert_eq!(
            inclusive_range_error(1, 2_147_483_647),
            "must be between 1 and 2147483647, inclusive"
        );
    }
}

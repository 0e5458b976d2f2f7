//! Label selectors: matching, the compiled form controllers use, and kubectl's `-l` grammar.
//!
//! Semantics follow `k8s.io/apimachinery` v1.32:
//! - a **nil** API selector matches nothing, an **empty** one (`{}`) matches everything;
//! - `matchLabels` entries are `key = value` requirements;
//! - `NotIn` and `DoesNotExist` match when the key is absent;
//! - all requirements are ANDed.
//!
//! [`Selector`] is the compiled, borrowed form a controller builds once per reconcile: compiling
//! validates the selector as upstream's `LabelSelectorAsSelector` does and matching never
//! allocates. [`Requirements`] is the owned form parsed from (and printed to) the string grammar.

mod lex;
mod parse;
mod requirements;

pub use parse::{ParseError, ParseErrorKind, parse};
pub use requirements::{Requirement, Requirements};

use std::fmt;

use crate::meta::{LabelSelector, LabelSelectorOperator, Labels};
use crate::validation::field::{BadValue, FieldError, FieldPath};
use crate::validation::names;

/// A requirement operator of the internal selector (`selection.Operator`), as the string grammar
/// spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operator {
    /// `key=value`
    Equals,
    /// `key==value`
    DoubleEquals,
    /// `key!=value` (matches when the key is absent)
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)` (matches when the key is absent)
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>1` (integers only)
    GreaterThan,
    /// `key<1` (integers only)
    LessThan,
}

impl Operator {
    /// Upstream's spelling (`in`, `notin`, `=`, `==`, `!=`, `gt`, `lt`, `exists`, `!`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }

    /// Whether a label set satisfies `key <op> values`.
    #[must_use]
    #[inline]
    pub fn matches<S: AsRef<str>>(self, labels: &Labels, key: &str, values: &[S]) -> bool {
        self.matches_value(label(labels, key), values)
    }

    /// Whether a label's value (`None` when the label is absent) satisfies `<op> values`.
    #[inline]
    fn matches_value<S: AsRef<str>>(self, got: Option<&str>, values: &[S]) -> bool {
        match self {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                got.is_some_and(|v| values.iter().any(|w| str_eq(w.as_ref(), v)))
            }
            Operator::NotEquals | Operator::NotIn => {
                got.is_none_or(|v| !values.iter().any(|w| str_eq(w.as_ref(), v)))
            }
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(have), [want]) = (got, values) else {
                    return false;
                };
                match (have.parse::<i64>(), want.as_ref().parse::<i64>()) {
                    (Ok(h), Ok(w)) => {
                        if self == Operator::GreaterThan {
                            h > w
                        } else {
                            h < w
                        }
                    }
                    _ => false,
                }
            }
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Labels at most this many are searched linearly: comparing lengths first, a scan of a
/// pod's labels is cheaper than hashing the key.
const LINEAR_LOOKUP_MAX: usize = 32;

/// Looks a label up, without hashing when the map is small (the common case).
#[inline]
fn label<'l>(labels: &'l Labels, key: &str) -> Option<&'l str> {
    if labels.len() <= LINEAR_LOOKUP_MAX {
        labels
            .iter()
            .find(|(k, _)| str_eq(k, key))
            .map(|(_, v)| v.as_str())
    } else {
        labels.get(key).map(String::as_str)
    }
}

/// String equality for the short strings controllers compare per pod (label keys and values,
/// namespaces, UIDs): lengths first, then eight bytes at a time with a last, overlapping word
/// (four, two, one bytes for shorter strings), inlined where `==` on strings calls `memcmp`.
#[inline]
pub(crate) fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() < 8 {
        return short_eq(a, b);
    }
    let (mut x, mut y) = (a, b);
    while let (Some((wx, rx)), Some((wy, ry))) =
        (x.split_first_chunk::<8>(), y.split_first_chunk::<8>())
    {
        if wx != wy {
            return false;
        }
        x = rx;
        y = ry;
    }
    x.is_empty() || a.last_chunk::<8>() == b.last_chunk::<8>()
}

/// [`str_eq`] for equal lengths below eight: two overlapping words of four or two bytes.
#[inline]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() >= 4 {
        a.first_chunk::<4>() == b.first_chunk::<4>() && a.last_chunk::<4>() == b.last_chunk::<4>()
    } else if a.len() >= 2 {
        a.first_chunk::<2>() == b.first_chunk::<2>() && a.last_chunk::<2>() == b.last_chunk::<2>()
    } else {
        a.first() == b.first()
    }
}

/// True when `labels` has every key of `required` with the same value.
#[inline]
fn has_all(labels: &Labels, required: &Labels) -> bool {
    required
        .iter()
        .all(|(k, v)| label(labels, k).is_some_and(|pv| str_eq(pv, v)))
}

/// True when `labels` has every key of `subset` with the same value (upstream's fully-labelled
/// test), without hashing for small maps.
#[inline]
pub(crate) fn contains_all(labels: &Labels, subset: &Labels) -> bool {
    has_all(labels, subset)
}

/// Why a selector cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectorError {
    /// A `matchExpressions` operator that is not In, NotIn, Exists or DoesNotExist.
    #[error("{} is not a valid label selector operator", crate::validation::field::go_quote(.operator))]
    UnknownOperator {
        /// The operator as written.
        operator: String,
    },
    /// A requirement upstream's `NewRequirement` rejects; paths are relative to the requirement
    /// (`key`, `values`, `values[0][app]`).
    #[error("{}", aggregate(.errors))]
    InvalidRequirement {
        /// The requirement's key.
        key: String,
        /// Every problem found.
        errors: Vec<FieldError>,
    },
    /// The string form does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Prints errors as upstream's `utilerrors.Aggregate`: one alone, several as `[e1, e2]`.
#[must_use]
pub fn aggregate(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => {
            let mut seen: Vec<String> = Vec::new();
            for e in many {
                let s = e.to_string();
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            // Upstream drops the brackets when only one distinct message is left.
            match seen.as_slice() {
                [one] => one.clone(),
                _ => format!("[{}]", seen.join(", ")),
            }
        }
    }
}

/// Renders a string list as Go's `%#v` does (`[]string{"a", "b"}`).
fn go_strings<S: AsRef<str>>(values: &[S]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| crate::validation::field::go_quote(v.as_ref()))
        .collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// Upstream's `NewRequirement` checks: the key must be a qualified name, the value count must
/// fit the operator, and every value must be a valid label value.
#[must_use]
pub fn requirement_errors<S: AsRef<str>>(key: &str, op: Operator, values: &[S]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !names::qualified_name_ok(key) {
        errs.push(FieldError::invalid(
            FieldPath::root().child("key"),
            BadValue::Str(key.to_owned()),
            names::is_qualified_name(key).join("; "),
        ));
    }
    let values_path = FieldPath::root().child("values");
    match op {
        Operator::In | Operator::NotIn => {
            if values.is_empty() {
                errs.push(FieldError::invalid(
                    values_path.clone(),
                    BadValue::Rendered(go_strings(values)),
                    "for 'in', 'notin' operators, values set can't be empty",
                ));
            }
        }
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => {
            if values.len() != 1 {
                errs.push(FieldError::invalid(
                    values_path.clone(),
                    BadValue::Rendered(go_strings(values)),
                    "exact-match compatibility requires one single value",
                ));
            }
        }
        Operator::Exists | Operator::DoesNotExist => {
            if !values.is_empty() {
                errs.push(FieldError::invalid(
                    values_path.clone(),
                    BadValue::Rendered(go_strings(values)),
                    "values set must be empty for exists and does not exist",
                ));
            }
        }
        Operator::GreaterThan | Operator::LessThan => {
            if values.len() != 1 {
                errs.push(FieldError::invalid(
                    values_path.clone(),
                    BadValue::Rendered(go_strings(values)),
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                ));
            }
            for (i, v) in values.iter().enumerate() {
                if v.as_ref().parse::<i64>().is_err() {
                    errs.push(FieldError::invalid(
                        values_path.index(i),
                        BadValue::Str(v.as_ref().to_owned()),
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    ));
                }
            }
        }
    }
    for (i, v) in values.iter().enumerate() {
        let v = v.as_ref();
        if !names::label_value_ok(v) {
            errs.push(FieldError::invalid(
                values_path.index(i).key(key),
                BadValue::Str(v.to_owned()),
                names::is_valid_label_value(v).join("; "),
            ));
        }
    }
    errs
}

fn requirement_ok<S: AsRef<str>>(key: &str, op: Operator, values: &[S]) -> bool {
    let count_ok = match op {
        Operator::In | Operator::NotIn => !values.is_empty(),
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => values.len() == 1,
        Operator::Exists | Operator::DoesNotExist => values.is_empty(),
        Operator::GreaterThan | Operator::LessThan => {
            matches!(values, [v] if v.as_ref().parse::<i64>().is_ok())
        }
    };
    count_ok
        && names::qualified_name_ok(key)
        && values.iter().all(|v| names::label_value_ok(v.as_ref()))
}

/// Maps an API operator to the internal one; `None` for an unknown operator.
#[must_use]
pub fn operator_of(op: &LabelSelectorOperator) -> Option<Operator> {
    match op {
        LabelSelectorOperator::In => Some(Operator::In),
        LabelSelectorOperator::NotIn => Some(Operator::NotIn),
        LabelSelectorOperator::Exists => Some(Operator::Exists),
        LabelSelectorOperator::DoesNotExist => Some(Operator::DoesNotExist),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug)]
enum Compiled<'a> {
    Nothing,
    Everything,
    Api(&'a LabelSelector),
    Map(&'a Labels),
}

/// A validated, borrowed selector that matches label sets without allocating.
///
/// Build it once per reconcile with [`Selector::compile`] (API selectors) or
/// [`Selector::from_map`] (a ReplicationController's equality selector).
#[derive(Clone, Copy, Debug)]
pub struct Selector<'a>(Compiled<'a>);

impl<'a> Selector<'a> {
    /// Compiles an API selector as `LabelSelectorAsSelector` does: `None` matches nothing, `{}`
    /// matches everything, and an invalid requirement is an error (upstream then skips the
    /// object). Allocates only on the error path.
    pub fn compile(selector: Option<&'a LabelSelector>) -> Result<Selector<'a>, SelectorError> {
        let Some(sel) = selector else {
            return Ok(Selector(Compiled::Nothing));
        };
        if sel.is_empty() {
            return Ok(Selector(Compiled::Everything));
        }
        for (k, v) in &sel.match_labels {
            let values = [v.as_str()];
            if !requirement_ok(k, Operator::Equals, &values) {
                return Err(SelectorError::InvalidRequirement {
                    key: k.clone(),
                    errors: requirement_errors(k, Operator::Equals, &values),
                });
            }
        }
        for expr in &sel.match_expressions {
            let Some(op) = operator_of(&expr.operator) else {
                return Err(SelectorError::UnknownOperator {
                    operator: expr.operator.as_str().to_owned(),
                });
            };
            if !requirement_ok(&expr.key, op, &expr.values) {
                return Err(SelectorError::InvalidRequirement {
                    key: expr.key.clone(),
                    errors: requirement_errors(&expr.key, op, &expr.values),
                });
            }
        }
        Ok(Selector(Compiled::Api(sel)))
    }

    /// An equality selector from a plain map (`Set.AsSelector`): an empty map matches
    /// everything. Used for ReplicationControllers.
    #[must_use]
    pub fn from_map(map: &'a Labels) -> Selector<'a> {
        if map.is_empty() {
            Selector(Compiled::Everything)
        } else {
            Selector(Compiled::Map(map))
        }
    }

    /// The selector that matches nothing (a nil API selector).
    #[must_use]
    pub const fn nothing() -> Selector<'static> {
        Selector(Compiled::Nothing)
    }

    /// The selector that matches everything.
    #[must_use]
    pub const fn everything() -> Selector<'static> {
        Selector(Compiled::Everything)
    }

    /// True when the label set satisfies every requirement.
    #[inline]
    #[must_use]
    pub fn matches(&self, labels: &Labels) -> bool {
        match self.0 {
            Compiled::Nothing => false,
            Compiled::Everything => true,
            Compiled::Map(m) => has_all(labels, m),
            Compiled::Api(sel) => {
                has_all(labels, &sel.match_labels)
                    && sel
                        .match_expressions
                        .iter()
                        .all(|e| match operator_of(&e.operator) {
                            Some(op) => op.matches_value(label(labels, &e.key), &e.values),
                            None => false,
                        })
            }
        }
    }

    /// True when every label of `labels` is an equality requirement of this selector (same
    /// key, same value), so that every label set it matches contains `labels`. Conservative:
    /// `false` does not mean that some match lacks a label.
    pub(crate) fn requires_all(&self, labels: &Labels) -> bool {
        let required = match self.0 {
            Compiled::Api(sel) => &sel.match_labels,
            Compiled::Map(m) => m,
            Compiled::Nothing | Compiled::Everything => return labels.is_empty(),
        };
        contains_all(required, labels)
    }

    /// Upstream's `Selector.Empty()`: true only for the match-everything selector (a nil
    /// selector, which matches nothing, is *not* empty).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(self.0, Compiled::Everything)
    }

    /// True for the match-nothing selector.
    #[must_use]
    pub fn is_nothing(&self) -> bool {
        matches!(self.0, Compiled::Nothing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn nil_matches_nothing_and_empty_matches_everything() {
        let l = labels(&[("app", "web")]);
        assert!(!Selector::compile(None).unwrap().matches(&l));
        let empty = LabelSelector::default();
        let s = Selector::compile(Some(&empty)).unwrap();
        assert!(s.matches(&l) && s.matches(&Labels::new()) && s.is_empty());
        assert!(!Selector::compile(None).unwrap().is_empty());
    }

    #[test]
    fn expressions_match_as_upstream() {
        let sel = LabelSelector {
            match_labels: labels(&[("app", "web")]),
            match_expressions: vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: LabelSelectorOperator::NotIn,
                    values: vec!["db".into()],
                    ..Default::default()
                },
                LabelSelectorRequirement {
                    key: "canary".into(),
                    operator: LabelSelectorOperator::DoesNotExist,
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let s = Selector::compile(Some(&sel)).unwrap();
        assert!(s.matches(&labels(&[("app", "web")])));
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "front")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("canary", "")])));
        assert!(!s.matches(&labels(&[("app", "api")])));
    }

    #[test]
    fn invalid_selectors_do_not_compile() {
        let bad_op = LabelSelector {
            match_expressions: vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: LabelSelectorOperator::Other("Foo".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            Selector::compile(Some(&bad_op)).unwrap_err().to_string(),
            "\"Foo\" is not a valid label selector operator"
        );
        let exists_with_values = LabelSelector {
            match_expressions: vec![LabelSelectorRequirement {
                key: "baz".into(),
                operator: LabelSelectorOperator::Exists,
                values: vec!["qux".into(), "norf".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            Selector::compile(Some(&exists_with_values))
                .unwrap_err()
                .to_string(),
            "values: Invalid value: []string{\"qux\", \"norf\"}: values set must be empty for exists and does not exist"
        );
        let bad_value = LabelSelector::from_labels([("app", "a b")]);
        assert!(Selector::compile(Some(&bad_value)).is_err());
    }

    #[test]
    fn str_eq_is_string_equality() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "abc",
            "abd",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghi",
            "abcdefghj",
            "3f0c5b2e-2a43-4f53-9c57-2f3c8d1e5a01",
            "3f0c5b2e-2a43-4f53-9c57-2f3c8d1e5a02",
            "4f0c5b2e-2a43-4f53-9c57-2f3c8d1e5a01",
            "pod-template-hash",
            "pod-template-hasx",
            "pod-tempxate-hash",
            "abcde",
            "abxde",
            "axc",
            "é",
            "e\u{301}",
        ];
        for a in words {
            for b in words {
                assert_eq!(str_eq(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn labels_out_of_order_or_many_still_match() {
        let want = labels(&[("app", "web"), ("tier", "front")]);
        let s = Selector::from_map(&want);
        assert!(s.matches(&labels(&[("tier", "front"), ("x", "1"), ("app", "web")])));
        assert!(!s.matches(&labels(&[("tier", "front"), ("app", "api")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "back")])));
        let many: Labels = (0..12)
            .map(|i| (format!("k{i}"), format!("v{i}")))
            .chain([
                ("tier".to_owned(), "front".to_owned()),
                ("app".to_owned(), "web".to_owned()),
            ])
            .collect();
        assert!(s.matches(&many));
        let api = LabelSelector::from_labels([("app", "web"), ("tier", "front")]);
        assert!(Selector::compile(Some(&api)).unwrap().matches(&many));
    }

    #[test]
    fn requires_all_is_implied_equality() {
        let template = labels(&[("app", "web"), ("pod-template-hash", "abc")]);
        let api = |pairs: &[(&str, &str)]| LabelSelector::from_labels(pairs.iter().copied());
        let yes = api(&[("pod-template-hash", "abc"), ("app", "web")]);
        assert!(
            Selector::compile(Some(&yes))
                .unwrap()
                .requires_all(&template)
        );
        let partial = api(&[("app", "web")]);
        assert!(
            !Selector::compile(Some(&partial))
                .unwrap()
                .requires_all(&template)
        );
        let other_value = api(&[("app", "web"), ("pod-template-hash", "xyz")]);
        assert!(
            !Selector::compile(Some(&other_value))
                .unwrap()
                .requires_all(&template)
        );
        assert!(!Selector::everything().requires_all(&template));
        assert!(Selector::everything().requires_all(&Labels::new()));
        assert!(Selector::from_map(&template).requires_all(&template));
        assert!(contains_all(&template, &labels(&[("app", "web")])));
        assert!(!contains_all(&labels(&[("app", "web")]), &template));
    }

    #[test]
    fn map_selectors() {
        let m = labels(&[("app", "web")]);
        assert!(Selector::from_map(&m).matches(&labels(&[("app", "web"), ("x", "y")])));
        assert!(Selector::from_map(&Labels::new()).matches(&labels(&[("x", "y")])));
    }
}

//! The owned selector: a list of requirements ANDed together, built from the string grammar,
//! an API `LabelSelector` or an equality map, and printed back in upstream's canonical form.

use std::fmt;
use std::str::FromStr;

use crate::meta::{LabelSelector, Labels};
use crate::selector::{
    Operator, ParseError, SelectorError, operator_of, parse, requirement_errors,
};

/// One requirement, `key <operator> values`, valid by construction (upstream's
/// `labels.Requirement` as `NewRequirement` returns it).
///
/// Built by [`Requirement::new`], [`parse`], [`Requirements::from_label_selector`] or
/// [`Requirements::from_map`]. Equality compares the values in order, as upstream's
/// `Requirement.Equal` does: the parser stores `in`/`notin` values sorted and de-duplicated,
/// while API selectors keep them as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// Checks and builds a requirement as `NewRequirement` does; the values are kept as given
    /// (not sorted, not de-duplicated).
    ///
    /// ```
    /// use kube_workloads::selector::{Operator, Requirement};
    ///
    /// let r = Requirement::new("tier", Operator::NotIn, ["db", "cache"])?;
    /// assert_eq!(r.to_string(), "tier notin (cache,db)");
    /// let err = Requirement::new("x", Operator::GreaterThan, ["one"]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "values[0]: Invalid value: \"one\": for 'Gt', 'Lt' operators, the value must be an integer"
    /// );
    /// # Ok::<(), kube_workloads::selector::SelectorError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SelectorError::InvalidRequirement`] with every problem
    /// [`requirement_errors`](crate::selector::requirement_errors) finds.
    pub fn new<K, I, V>(key: K, operator: Operator, values: I) -> Result<Requirement, SelectorError>
    where
        K: Into<String>,
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        let key = key.into();
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let errors = requirement_errors(&key, operator, &values);
        if errors.is_empty() {
            Ok(Requirement {
                key,
                operator,
                values,
            })
        } else {
            Err(SelectorError::InvalidRequirement { key, errors })
        }
    }

    /// Builds a requirement the caller has already checked with `requirement_errors`.
    pub(crate) fn from_valid_parts(key: String, operator: Operator, values: Vec<String>) -> Self {
        Requirement {
            key,
            operator,
            values,
        }
    }

    /// The label key.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    #[must_use]
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values: none for `exists`/`!`, one for `=`, `==`, `!=`, `gt`, `lt`, at least one
    /// for `in`/`notin`.
    #[must_use]
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// True when the label set satisfies this requirement (`Requirement.Matches`).
    #[must_use]
    pub fn matches(&self, labels: &Labels) -> bool {
        self.operator.matches(labels, &self.key, &self.values)
    }
}

/// Upstream's `Requirement.String()`: `!key`, `key`, `key=v`, `key==v`, `key!=v`, `key>v`,
/// `key<v`, `key in (a,b)`, `key notin (a,b)`; several values print sorted (not
/// de-duplicated), without changing the requirement.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (op, parens) = match self.operator {
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
            Operator::Equals => ("=", false),
            Operator::DoubleEquals => ("==", false),
            Operator::NotEquals => ("!=", false),
            Operator::In => (" in ", true),
            Operator::NotIn => (" notin ", true),
            Operator::GreaterThan => (">", false),
            Operator::LessThan => ("<", false),
        };
        f.write_str(op)?;
        if parens {
            f.write_str("(")?;
        }
        if let [one] = self.values.as_slice() {
            f.write_str(one)?;
        } else if self.values.is_sorted() {
            write_joined(f, self.values.iter().map(String::as_str))?;
        } else {
            let mut sorted: Vec<&str> = self.values.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            write_joined(f, sorted.into_iter())?;
        }
        if parens {
            f.write_str(")")?;
        }
        Ok(())
    }
}

fn write_joined<'a>(
    f: &mut fmt::Formatter<'_>,
    values: impl Iterator<Item = &'a str>,
) -> fmt::Result {
    for (i, v) in values.enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        f.write_str(v)?;
    }
    Ok(())
}

/// An owned selector: the AND of its requirements, kept sorted by key (upstream's
/// `internalSelector`).
///
/// # Nothing versus everything
///
/// A `Requirements` with no requirement matches **every** label set (upstream's
/// `Everything()`, what `""` parses to and what an empty API selector `{}` converts to). The
/// selector that matches **nothing** (a nil API selector, upstream's `Nothing()`) is not a
/// list of requirements; represent it as `Option::<Requirements>::None`, or use
/// [`Selector::nothing`](crate::selector::Selector::nothing). Both print as the empty
/// string upstream, so the string form cannot tell them apart: `""` always parses back to
/// everything.
///
/// # Order
///
/// Requirements are sorted by key with a stable sort, so requirements sharing a key keep the
/// order they were given in. Upstream sorts with Go's unstable `sort.Sort`, which is an
/// insertion sort (hence stable) up to 12 elements; beyond 12 requirements, ones sharing a
/// key may print in another order than upstream's. Matching is unaffected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Requirements(Vec<Requirement>);

impl Requirements {
    /// The selector that matches everything (no requirement).
    #[must_use]
    pub const fn everything() -> Self {
        Requirements(Vec::new())
    }

    /// ANDs requirements together, sorting them by key (`Selector.Add`).
    #[must_use]
    pub fn new(requirements: impl IntoIterator<Item = Requirement>) -> Self {
        let mut all: Vec<Requirement> = requirements.into_iter().collect();
        all.sort_by(|a, b| a.key.cmp(&b.key));
        Requirements(all)
    }

    /// Converts an API selector as `LabelSelectorAsSelector` does: each `matchLabels` entry
    /// becomes `key=value`, `In`/`NotIn`/`Exists`/`DoesNotExist` become `in`/`notin`/`exists`/
    /// `!` with their values as given, and the result is sorted by key (a `matchLabels`
    /// requirement before an expression on the same key). `{}` gives the empty (match
    /// everything) selector; a nil selector, which matches nothing, has no `Requirements`
    /// form (see the type's documentation).
    ///
    /// ```
    /// use kube_workloads::LabelSelector;
    /// use kube_workloads::meta::{LabelSelectorOperator, LabelSelectorRequirement};
    /// use kube_workloads::selector::Requirements;
    ///
    /// let sel = LabelSelector {
    ///     match_labels: [("foo".to_string(), "bar".to_string())].into_iter().collect(),
    ///     match_expressions: vec![LabelSelectorRequirement {
    ///         key: "baz".into(),
    ///         operator: LabelSelectorOperator::In,
    ///         values: vec!["qux".into(), "norf".into()],
    ///         ..Default::default()
    ///     }],
    ///     ..Default::default()
    /// };
    /// let r = Requirements::from_label_selector(&sel)?;
    /// assert_eq!(r.to_string(), "baz in (norf,qux),foo=bar");
    /// assert!(Requirements::from_label_selector(&LabelSelector::default())?.is_empty());
    /// # Ok::<(), kube_workloads::selector::SelectorError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SelectorError::UnknownOperator`] for an operator other than the four, and
    /// [`SelectorError::InvalidRequirement`] for the first requirement that fails
    /// `NewRequirement`'s checks (all `matchLabels` entries, in map order, are checked before
    /// the expressions, as upstream does).
    pub fn from_label_selector(selector: &LabelSelector) -> Result<Requirements, SelectorError> {
        let mut all =
            Vec::with_capacity(selector.match_labels.len() + selector.match_expressions.len());
        for (key, value) in &selector.match_labels {
            all.push(Requirement::new(
                key.as_str(),
                Operator::Equals,
                [value.as_str()],
            )?);
        }
        for expr in &selector.match_expressions {
            let Some(op) = operator_of(&expr.operator) else {
                return Err(SelectorError::UnknownOperator {
                    operator: expr.operator.as_str().to_owned(),
                });
            };
            all.push(Requirement::new(
                expr.key.as_str(),
                op,
                expr.values.iter().map(String::as_str),
            )?);
        }
        Ok(Requirements::new(all))
    }

    /// An equality selector from a map (`ValidatedSelectorFromSet`): one `key=value` per entry,
    /// sorted by key; an empty map matches everything.
    ///
    /// # Errors
    ///
    /// [`SelectorError::InvalidRequirement`] for the first entry (in map order) whose key or
    /// value is invalid.
    pub fn from_map(map: &Labels) -> Result<Requirements, SelectorError> {
        let mut all = Vec::with_capacity(map.len());
        for (key, value) in map {
            all.push(Requirement::new(
                key.as_str(),
                Operator::Equals,
                [value.as_str()],
            )?);
        }
        Ok(Requirements::new(all))
    }

    /// True when every requirement matches (always, for the empty selector).
    #[must_use]
    pub fn matches(&self, labels: &Labels) -> bool {
        self.0.iter().all(|r| r.matches(labels))
    }

    /// Upstream's `Empty()`: true when there is no requirement, so that everything matches.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many requirements there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The requirements, sorted by key.
    #[must_use]
    pub fn as_slice(&self) -> &[Requirement] {
        &self.0
    }

    /// Iterates over the requirements, sorted by key.
    pub fn iter(&self) -> std::slice::Iter<'_, Requirement> {
        self.0.iter()
    }

    /// Upstream's `RequiresExactMatch`: the value the first requirement on `key` pins it to,
    /// when that requirement is `=`, `==` or `in` with a single value.
    #[must_use]
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let r = self.0.iter().find(|r| r.key == key)?;
        match (r.operator, r.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [one]) => Some(one),
            _ => None,
        }
    }
}

/// Upstream's `String()`: the requirements joined by `,`. The empty selector prints as the
/// empty string.
impl fmt::Display for Requirements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            fmt::Display::fmt(r, f)?;
        }
        Ok(())
    }
}

impl FromStr for Requirements {
    type Err = ParseError;

    /// Same as [`parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl<'a> IntoIterator for &'a Requirements {
    type Item = &'a Requirement;
    type IntoIter = std::slice::Iter<'a, Requirement>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Requirements {
    type Item = Requirement;
    type IntoIter = std::vec::IntoIter<Requirement>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

//! Label selectors against upstream's tables (apimachinery v0.32 `pkg/labels/selector_test.go`
//! and `pkg/apis/meta/v1/helpers_test.go`), plus property tests: printing and parsing are
//! inverse, the compiled `Selector` agrees with a naive matcher, and parsing never panics.

// Tests may unwrap, helpers and strategies included.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use kube_workloads::meta::{LabelSelectorOperator, LabelSelectorRequirement};
use kube_workloads::selector::{
    Operator, ParseErrorKind, Requirement, Requirements, Selector, SelectorError, parse,
    requirement_errors,
};
use kube_workloads::validation::field::{BadValue, ErrorType};
use kube_workloads::{LabelSelector, Labels};
use proptest::prelude::*;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
    Requirement::new(key, op, values.iter().copied()).unwrap()
}

const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// ---------------------------------------------------------------------------------------------
// TestSelectorParse, TestDeterministicParse
// ---------------------------------------------------------------------------------------------

#[test]
fn good_strings_parse_and_print_back_without_spaces() {
    for s in [
        "x=a,y=b,z=c",
        "",
        "x!=a,y=b",
        "x=",
        "x= ",
        "x=,z= ",
        "x= ,z= ",
        "!x",
        "x>1",
        "x>1,z<5",
    ] {
        let r = parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(r.to_string(), s.replace(' ', ""), "{s:?}");
    }
}

#[test]
fn bad_strings_fail_with_upstreams_messages() {
    let cases = [
        (
            "x=a||y=b",
            0,
            format!(
                "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": {LABEL_VALUE_MSG}"
            ),
        ),
        (
            "x==a==b",
            4,
            "found '==', expected: ',' or 'end of string'".to_owned(),
        ),
        (
            "!x=a",
            2,
            "found '=', expected: ',' or 'end of string'".to_owned(),
        ),
        (
            "x<a",
            0,
            "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer".to_owned(),
        ),
    ];
    for (s, position, message) in cases {
        let e = parse(s).unwrap_err();
        assert_eq!(e.to_string(), message, "{s:?}");
        assert_eq!(e.position, position, "{s:?}");
    }
}

#[test]
fn parsing_is_deterministic() {
    assert_eq!(
        parse("x=a,a=x").unwrap().to_string(),
        parse("a=x,x=a").unwrap().to_string()
    );
    assert_eq!(parse("x=a,a=x").unwrap().to_string(), "a=x,x=a");
}

// ---------------------------------------------------------------------------------------------
// TestEverything, TestSelectorMatches, TestSetMatches, TestNilMapIsValid, TestSetIsEmpty
// ---------------------------------------------------------------------------------------------

#[test]
fn everything_matches_and_is_empty() {
    let e = Requirements::everything();
    assert!(e.matches(&labels(&[("x", "y")])) && e.is_empty());
    assert_eq!(e, parse("").unwrap());
    assert_eq!(e, parse(" \t\r\n").unwrap());
    assert_eq!(e.to_string(), "");
    assert!(Selector::everything().is_empty() && !Selector::nothing().is_empty());
}

#[test]
fn selector_strings_match_as_upstream() {
    let expect_match: [(&str, &[(&str, &str)]); 9] = [
        ("", &[("x", "y")]),
        ("x=y", &[("x", "y")]),
        ("x=y,z=w", &[("x", "y"), ("z", "w")]),
        ("x!=y,z!=w", &[("x", "z"), ("z", "a")]),
        ("notin=in", &[("notin", "in")]),
        ("x", &[("x", "z")]),
        ("!x", &[("y", "z")]),
        ("x>1", &[("x", "2")]),
        ("x<1", &[("x", "0")]),
    ];
    let expect_no_match: [(&str, &[(&str, &str)]); 8] = [
        ("x=z", &[]),
        ("x=y", &[("x", "z")]),
        ("x=y,z=w", &[("x", "w"), ("z", "w")]),
        ("x!=y,z!=w", &[("x", "z"), ("z", "w")]),
        ("x", &[("y", "z")]),
        ("!x", &[("x", "z")]),
        ("x>1", &[("x", "0")]),
        ("x<1", &[("x", "2")]),
    ];
    for (s, l) in expect_match {
        assert!(parse(s).unwrap().matches(&labels(l)), "{s:?} {l:?}");
    }
    for (s, l) in expect_no_match {
        assert!(!parse(s).unwrap().matches(&labels(l)), "{s:?} {l:?}");
    }
    let set = labels(&[("foo", "bar"), ("baz", "blah")]);
    for s in ["foo=bar", "baz=blah", "foo=bar,baz=blah"] {
        assert!(parse(s).unwrap().matches(&set), "{s}");
    }
    for s in ["foo=blah", "baz=bar", "foo=bar,foobar=bar,baz=blah"] {
        assert!(!parse(s).unwrap().matches(&set), "{s}");
    }
}

#[test]
fn map_selectors_match_as_upstream() {
    let set = labels(&[("foo", "bar"), ("baz", "blah")]);
    let maps: [&[(&str, &str)]; 4] = [
        &[],
        &[("foo", "bar")],
        &[("baz", "blah")],
        &[("foo", "bar"), ("baz", "blah")],
    ];
    for m in maps {
        let m = labels(m);
        assert!(Selector::from_map(&m).matches(&set), "{m:?}");
        assert!(Requirements::from_map(&m).unwrap().matches(&set), "{m:?}");
    }
    // A nil or empty set is Everything, and Empty().
    assert!(Selector::from_map(&Labels::new()).is_empty());
    assert!(Requirements::from_map(&Labels::new()).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// TestRequirementConstructor (through `requirement_errors`)
// ---------------------------------------------------------------------------------------------

#[test]
fn requirement_constructor_table() {
    let long = "a".repeat(254);
    // (key, operator, values, expected (path, bad value) of each error)
    type Row<'a> = (&'a str, Operator, Vec<&'a str>, Vec<(&'a str, BadValue)>);
    let rows: Vec<Row> = vec![
        (
            "x1",
            Operator::In,
            vec![],
            vec![("values", BadValue::Rendered("[]string{}".into()))],
        ),
        (
            "x2",
            Operator::NotIn,
            vec![],
            vec![("values", BadValue::Rendered("[]string{}".into()))],
        ),
        ("x3", Operator::In, vec!["foo"], vec![]),
        ("x4", Operator::NotIn, vec!["foo"], vec![]),
        (
            "x5",
            Operator::Equals,
            vec!["bar", "foo"],
            vec![(
                "values",
                BadValue::Rendered("[]string{\"bar\", \"foo\"}".into()),
            )],
        ),
        ("x6", Operator::Exists, vec![], vec![]),
        ("x7", Operator::DoesNotExist, vec![], vec![]),
        (
            "x8",
            Operator::Exists,
            vec!["foo"],
            vec![("values", BadValue::Rendered("[]string{\"foo\"}".into()))],
        ),
        ("x9", Operator::In, vec!["bar"], vec![]),
        ("x10", Operator::In, vec!["bar"], vec![]),
        ("x11", Operator::GreaterThan, vec!["1"], vec![]),
        ("x12", Operator::LessThan, vec!["6"], vec![]),
        (
            "x13",
            Operator::GreaterThan,
            vec![],
            vec![("values", BadValue::Rendered("[]string{}".into()))],
        ),
        (
            "x14",
            Operator::GreaterThan,
            vec!["bar"],
            vec![("values[0]", BadValue::Str("bar".into()))],
        ),
        (
            "x15",
            Operator::LessThan,
            vec!["bar"],
            vec![("values[0]", BadValue::Str("bar".into()))],
        ),
        (
            &long,
            Operator::Exists,
            vec![],
            vec![("key", BadValue::Str(long.clone()))],
        ),
        (
            "x16",
            Operator::Equals,
            vec![&long],
            vec![("values[0][x16]", BadValue::Str(long.clone()))],
        ),
        (
            "x17",
            Operator::Equals,
            vec!["a b"],
            vec![("values[0][x17]", BadValue::Str("a b".into()))],
        ),
    ];
    for (key, op, values, want) in rows {
        let got: Vec<(String, BadValue)> = requirement_errors(key, op, &values)
            .into_iter()
            .map(|e| {
                assert_eq!(e.error_type, ErrorType::Invalid);
                (e.path.to_string(), e.bad_value.unwrap())
            })
            .collect();
        let want: Vec<(String, BadValue)> =
            want.into_iter().map(|(p, v)| (p.to_owned(), v)).collect();
        assert_eq!(got, want, "{key} {op}");
        assert_eq!(Requirement::new(key, op, values).is_ok(), got.is_empty());
    }
    // x18, operator "unsupportedOp": `Operator` cannot hold an unknown operator; API
    // selectors report one as `UnknownOperator` instead (see `label_selector_as_selector`).
}

#[test]
fn requirement_errors_print_as_upstream() {
    let e = Requirement::new("x5", Operator::Equals, ["bar", "foo"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "values: Invalid value: []string{\"bar\", \"foo\"}: exact-match compatibility requires one single value"
    );
    let e = Requirement::new("x1", Operator::In, Vec::<String>::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
    );
    let e = Requirement::new("x17", Operator::Equals, ["a b"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("values[0][x17]: Invalid value: \"a b\": {LABEL_VALUE_MSG}")
    );
}

// ---------------------------------------------------------------------------------------------
// TestToString, TestSafeSort, TestAdd, TestRequirementEqual
// ---------------------------------------------------------------------------------------------

#[test]
fn canonical_printing() {
    use Operator::*;
    let rows: [(Vec<Requirement>, &str); 5] = [
        (
            vec![
                req("x", In, &["abc", "def"]),
                req("y", NotIn, &["jkl"]),
                req("z", Exists, &[]),
            ],
            "x in (abc,def),y notin (jkl),z",
        ),
        (
            vec![
                req("x", NotIn, &["abc", "def"]),
                req("y", NotEquals, &["jkl"]),
                req("z", DoesNotExist, &[]),
            ],
            "x notin (abc,def),y!=jkl,!z",
        ),
        (
            vec![
                req("x", NotIn, &["abc"]),
                req("y", In, &["jkl", "mno"]),
                req("z", NotIn, &[""]),
            ],
            "x notin (abc),y in (jkl,mno),z notin ()",
        ),
        (
            vec![
                req("x", Equals, &["abc"]),
                req("y", DoubleEquals, &["jkl"]),
                req("z", NotEquals, &["a"]),
                req("z", Exists, &[]),
            ],
            "x=abc,y==jkl,z!=a,z",
        ),
        (
            vec![
                req("x", GreaterThan, &["2"]),
                req("y", LessThan, &["8"]),
                req("z", Exists, &[]),
            ],
            "x>2,y<8,z",
        ),
    ];
    for (reqs, want) in rows {
        assert_eq!(Requirements::new(reqs).to_string(), want);
    }
    // Upstream's third row (a zero-value Requirement printing as "") has no counterpart: a
    // `Requirement` is valid by construction.
}

#[test]
fn printing_sorts_values_without_mutating_them() {
    let r = req("x", Operator::In, &["foo", "bar", "foo", "bar"]);
    assert_eq!(r.to_string(), "x in (bar,bar,foo,foo)");
    assert_eq!(r.values(), ["foo", "bar", "foo", "bar"]);
    assert_eq!(
        req("x", Operator::In, &["bar", "foo"]).to_string(),
        "x in (bar,foo)"
    );
}

#[test]
fn adding_requirements_sorts_by_key() {
    let sel = Requirements::new([
        req("key2", Operator::Equals, &["value2"]),
        req("key", Operator::In, &["value"]),
    ]);
    assert_eq!(
        sel.as_slice(),
        [
            req("key", Operator::In, &["value"]),
            req("key2", Operator::Equals, &["value2"])
        ]
    );
    assert_eq!(sel.len(), 2);
    assert_eq!(
        sel.iter().map(Requirement::key).collect::<Vec<_>>(),
        ["key", "key2"]
    );
}

#[test]
fn requirement_equality_compares_values_in_order() {
    let a = req("key", Operator::In, &["foo", "bar"]);
    assert_eq!(a, req("key", Operator::In, &["foo", "bar"]));
    assert_ne!(a, req("key1", Operator::In, &["foo", "bar"]));
    assert_ne!(a, req("key", Operator::NotIn, &["foo", "bar"]));
    assert_ne!(a, req("key", Operator::In, &["foobar"]));
    assert_ne!(a, req("key", Operator::In, &["bar", "foo"]));
}

// ---------------------------------------------------------------------------------------------
// TestRequirementSelectorMatching
// ---------------------------------------------------------------------------------------------

#[test]
fn requirement_matching_table() {
    use Operator::*;
    type Row = (
        &'static [(&'static str, &'static str)],
        Vec<Requirement>,
        bool,
    );
    let rows: [Row; 8] = [
        (
            &[("x", "foo"), ("y", "baz")],
            vec![req("x", In, &["foo"]), req("y", NotIn, &["alpha"])],
            true,
        ),
        (
            &[("x", "foo"), ("y", "baz")],
            vec![req("x", In, &["foo"]), req("y", In, &["alpha"])],
            false,
        ),
        (
            &[("y", "")],
            vec![req("x", NotIn, &[""]), req("y", Exists, &[])],
            true,
        ),
        (
            &[("y", "")],
            vec![req("x", DoesNotExist, &[]), req("y", Exists, &[])],
            true,
        ),
        (
            &[("y", "")],
            vec![req("x", NotIn, &[""]), req("y", DoesNotExist, &[])],
            false,
        ),
        (&[("y", "baz")], vec![req("x", In, &[""])], false),
        (&[("z", "2")], vec![req("z", GreaterThan, &["1"])], true),
        (&[("z", "v2")], vec![req("z", GreaterThan, &["1"])], false),
    ];
    for (l, reqs, want) in rows {
        let sel = Requirements::new(reqs);
        assert_eq!(sel.matches(&labels(l)), want, "{sel} {l:?}");
    }
    // Upstream's first row (a zero-value Requirement never matches) has no counterpart.
}

// ---------------------------------------------------------------------------------------------
// TestSetSelectorParser
// ---------------------------------------------------------------------------------------------

#[test]
fn set_selector_parser_table() {
    use Operator::*;
    type Want = Option<Vec<(&'static str, Operator, &'static [&'static str])>>;
    // (input, valid, expected requirements in order, when upstream compares them)
    let rows: Vec<(&str, bool, Want)> = vec![
        ("", true, Some(vec![])),
        ("\rx", true, Some(vec![("x", Exists, &[])])),
        (
            "this-is-a-dns.domain.com/key-with-dash",
            true,
            Some(vec![(
                "this-is-a-dns.domain.com/key-with-dash",
                Exists,
                &[],
            )]),
        ),
        (
            "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            true,
            Some(vec![(
                "this-is-another-dns.domain.com/key-with-dash",
                In,
                &["so", "what"],
            )]),
        ),
        (
            "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            true,
            Some(vec![(
                "0.1.2.domain/99",
                NotIn,
                &["10.10.100.1", "tick.tack.clock"],
            )]),
        ),
        ("foo  in\t (abc)", true, Some(vec![("foo", In, &["abc"])])),
        ("x notin\n (abc)", true, Some(vec![("x", NotIn, &["abc"])])),
        (
            "x  notin\t\t\t(abc,def)",
            true,
            Some(vec![("x", NotIn, &["abc", "def"])]),
        ),
        (
            "x in (abc,def)",
            true,
            Some(vec![("x", In, &["abc", "def"])]),
        ),
        ("x in (abc,)", true, Some(vec![("x", In, &["", "abc"])])),
        ("x in ()", true, Some(vec![("x", In, &[""])])),
        (
            "x notin (abc,,def),bar,z in (),w",
            true,
            Some(vec![
                ("bar", Exists, &[]),
                ("w", Exists, &[]),
                ("x", NotIn, &["", "abc", "def"]),
                ("z", In, &[""]),
            ]),
        ),
        (
            "x,y in (a)",
            true,
            Some(vec![("x", Exists, &[]), ("y", In, &["a"])]),
        ),
        ("x=a", true, Some(vec![("x", Equals, &["a"])])),
        ("x>1", true, Some(vec![("x", GreaterThan, &["1"])])),
        ("x<7", true, Some(vec![("x", LessThan, &["7"])])),
        (
            "x=a,y!=b",
            true,
            Some(vec![("x", Equals, &["a"]), ("y", NotEquals, &["b"])]),
        ),
        (
            "x=a,y!=b,z in (h,i,j)",
            true,
            Some(vec![
                ("x", Equals, &["a"]),
                ("y", NotEquals, &["b"]),
                ("z", In, &["h", "i", "j"]),
            ]),
        ),
        ("x=a||y=b", false, None),
        ("x,,y", false, None),
        (",x,y", false, None),
        ("x nott in (y)", false, None),
        ("x notin ( )", true, Some(vec![("x", NotIn, &[""])])),
        ("x notin (, a)", true, Some(vec![("x", NotIn, &["", "a"])])),
        ("a in (xyz),", false, None),
        ("a in (xyz)b notin ()", false, None),
        ("a ", true, Some(vec![("a", Exists, &[])])),
        (
            "a in (x,y,notin, z,in)",
            true,
            Some(vec![("a", In, &["in", "notin", "x", "y", "z"])]),
        ),
        ("a in (xyz abc)", false, None),
        ("a notin(", false, None),
        ("a (", false, None),
        ("(", false, None),
    ];
    for (input, valid, want) in rows {
        let got = parse(input);
        assert_eq!(got.is_ok(), valid, "{input:?}: {got:?}");
        if let (Ok(got), Some(want)) = (got, want) {
            let want = Requirements::new(want.into_iter().map(|(k, op, v)| req(k, op, v)));
            assert_eq!(got, want, "{input:?}");
        }
    }
}

#[test]
fn parse_errors_name_the_token_and_its_position() {
    let cases: [(&str, usize, &str); 14] = [
        ("x,,y", 2, "found ',', expected: identifier after ','"),
        (
            ",x,y",
            0,
            "found ',', expected: !, identifier, or 'end of string'",
        ),
        (
            "x nott in (y)",
            2,
            "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt",
        ),
        (
            "a in (xyz),",
            11,
            "found '', expected: identifier after ','",
        ),
        (
            "a in (xyz)b notin ()",
            10,
            "found 'b', expected: ',' or 'end of string'",
        ),
        (
            "a in (xyz abc)",
            10,
            "unable to parse requirement: found 'abc', expected: ',' or ')'",
        ),
        (
            "a notin(",
            8,
            "unable to parse requirement: found '', expected: ',', ')' or identifier",
        ),
        (
            "a (",
            2,
            "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt",
        ),
        (
            "(",
            0,
            "found '(', expected: !, identifier, or 'end of string'",
        ),
        // After `,,` upstream's list parser wants a value or another comma, so `(a,,)` fails
        // while `(a,,,)` parses.
        (
            "x in (a,,)",
            9,
            "unable to parse requirement: found ')', expected: ',', or identifier",
        ),
        (
            "!",
            1,
            "unable to parse requirement: found '', expected: identifier",
        ),
        (
            "!!x",
            1,
            "unable to parse requirement: found '!', expected: identifier",
        ),
        (
            "x in",
            4,
            "unable to parse requirement: found '' expected: '('",
        ),
        (
            "x= =",
            3,
            "unable to parse requirement: found '=', expected: identifier",
        ),
    ];
    for (s, position, message) in cases {
        let e = parse(s).unwrap_err();
        assert_eq!(
            (e.position, e.to_string().as_str()),
            (position, message),
            "{s:?}"
        );
        assert_eq!(e.kind.is_in_requirement(), message.starts_with("unable"));
    }
    assert_eq!(
        parse("x in (a,,,)").unwrap(),
        Requirements::new([req("x", Operator::In, &["", "a"])])
    );
}

#[test]
fn key_errors_carry_upstreams_nil_path() {
    // As kubectl reports it: `kubectl get pods -l app:monolith`.
    let e = parse("app:monolith").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    );
    assert!(matches!(e.kind, ParseErrorKind::InvalidKey { ref key, .. } if key == "app:monolith"));
    let e = parse("x=a, a/b/c ?=? def").unwrap_err();
    assert_eq!(e.position, 5);
    assert!(e.to_string().starts_with(
        "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of"
    ));
    assert!(
        e.to_string()
            .ends_with("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
    );
}

#[test]
fn several_requirement_errors_aggregate() {
    let e = parse("y=b, x>a-").unwrap_err();
    assert_eq!(e.position, 5);
    assert_eq!(
        e.to_string(),
        format!(
            "unable to parse requirement: [values[0]: Invalid value: \"a-\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: \"a-\": {LABEL_VALUE_MSG}]"
        )
    );
    // Value errors index the sorted, de-duplicated values.
    let e = parse("x in (b-, a, b-)").unwrap_err();
    match e.kind {
        ParseErrorKind::InvalidRequirement { key, errors } => {
            assert_eq!(key, "x");
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].path.to_string(), "values[1][x]");
        }
        other => panic!("{other:?}"),
    }
    // And the error converts into the selector error type.
    let e: SelectorError = parse("(").unwrap_err().into();
    assert_eq!(
        e.to_string(),
        "found '(', expected: !, identifier, or 'end of string'"
    );
}

#[test]
fn lexing_quirks() {
    // `in`/`notin` are keys and values wherever a key or value is expected.
    assert_eq!(
        parse("in in (in),notin notin (notin),in=notin")
            .unwrap()
            .to_string(),
        "in in (in),in=notin,notin notin (notin)"
    );
    // `==` is kept as written; `>`/`<` print as symbols.
    assert_eq!(parse("x == a").unwrap().to_string(), "x==a");
    // Whitespace is space, tab, CR and LF only.
    assert!(parse("x\u{0b}=a").is_err());
    // A NUL where a token would start ends the input, as upstream's lexer reads it.
    assert_eq!(parse("x=a \0 garbage").unwrap().to_string(), "x=a");
    assert_eq!(parse("\0x").unwrap(), Requirements::everything());
    // Non-ASCII bytes are identifier bytes (and then fail validation).
    let e = parse("é").unwrap_err();
    assert!(matches!(e.kind, ParseErrorKind::InvalidKey { .. }));
    assert_eq!(
        "x=a".parse::<Requirements>().unwrap(),
        parse("x=a").unwrap()
    );
}

#[test]
fn set_values_are_sorted_and_deduplicated() {
    let r = parse("x notin (b,a,b,,a)").unwrap();
    assert_eq!(r.as_slice()[0].values(), ["", "a", "b"]);
    assert_eq!(r.to_string(), "x notin (,a,b)");
}

// ---------------------------------------------------------------------------------------------
// TestRequiresExactMatch, TestValidatedSelectorFromSet
// ---------------------------------------------------------------------------------------------

#[test]
fn requires_exact_match_table() {
    use Operator::*;
    let rows: [(Vec<Requirement>, &str, Option<&str>); 7] = [
        (vec![req("key", In, &["value"])], "key", Some("value")),
        (vec![req("key", In, &["value", "value2"])], "key", None),
        (
            vec![
                req("key", In, &["value", "value1"]),
                req("key2", In, &["value2"]),
            ],
            "key2",
            Some("value2"),
        ),
        (vec![req("key", Equals, &["value"])], "key", Some("value")),
        (
            vec![req("key", DoubleEquals, &["value"])],
            "key",
            Some("value"),
        ),
        (vec![req("key", NotEquals, &["value"])], "key", None),
        (
            vec![req("key", In, &["value"]), req("key2", In, &["value2"])],
            "key",
            Some("value"),
        ),
    ];
    for (reqs, key, want) in rows {
        let sel = Requirements::new(reqs);
        assert_eq!(sel.requires_exact_match(key), want, "{sel} {key}");
    }
}

#[test]
fn validated_selector_from_set() {
    let ok = Requirements::from_map(&labels(&[("key", "val")])).unwrap();
    assert_eq!(ok.as_slice(), [req("key", Operator::Equals, &["val"])]);
    let long = "axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui";
    match Requirements::from_map(&labels(&[("Key", long)])).unwrap_err() {
        SelectorError::InvalidRequirement { key, errors } => {
            assert_eq!(key, "Key");
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].path.to_string(), "values[0][Key]");
            assert_eq!(errors[0].bad_value, Some(BadValue::Str(long.into())));
        }
        other => panic!("{other:?}"),
    }
    // Sorted by key whatever the map order.
    assert_eq!(
        Requirements::from_map(&labels(&[("b", "2"), ("a", "1")]))
            .unwrap()
            .to_string(),
        "a=1,b=2"
    );
}

// ---------------------------------------------------------------------------------------------
// TestLabelSelectorAsSelector (helpers_test.go)
// ---------------------------------------------------------------------------------------------

fn expression(
    key: &str,
    operator: LabelSelectorOperator,
    values: &[&str],
) -> LabelSelectorRequirement {
    LabelSelectorRequirement {
        key: key.into(),
        operator,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        ..Default::default()
    }
}

#[test]
fn label_selector_as_selector() {
    let match_labels = labels(&[("foo", "bar")]);
    let match_expressions = vec![expression(
        "baz",
        LabelSelectorOperator::In,
        &["qux", "norf"],
    )];

    // nil: Nothing. It has no Requirements form; the compiled selector matches nothing.
    let nothing = Selector::compile(None).unwrap();
    assert!(nothing.is_nothing() && !nothing.matches(&labels(&[("any", "label")])));

    // {}: Everything.
    let empty = LabelSelector::default();
    let r = Requirements::from_label_selector(&empty).unwrap();
    assert!(r.is_empty() && r.to_string().is_empty());
    assert!(Selector::compile(Some(&empty)).unwrap().is_empty());

    let rows: [(LabelSelector, &str); 3] = [
        (
            LabelSelector {
                match_labels: match_labels.clone(),
                ..Default::default()
            },
            "foo=bar",
        ),
        (
            LabelSelector {
                match_expressions: match_expressions.clone(),
                ..Default::default()
            },
            "baz in (norf,qux)",
        ),
        (
            LabelSelector {
                match_labels,
                match_expressions,
                ..Default::default()
            },
            "baz in (norf,qux),foo=bar",
        ),
    ];
    for (sel, want) in rows {
        let before = sel.clone();
        let r = Requirements::from_label_selector(&sel).unwrap();
        assert_eq!(r.to_string(), want);
        assert_eq!(sel, before, "the input is not mutated");
        // Values are kept as given, so only the printed forms agree with the parsed one.
        assert_eq!(r.to_string(), parse(want).unwrap().to_string());
        assert!(Selector::compile(Some(&sel)).is_ok());
    }
    let first = Requirements::from_label_selector(&LabelSelector {
        match_expressions: vec![expression(
            "baz",
            LabelSelectorOperator::In,
            &["qux", "norf"],
        )],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(first.as_slice()[0].values(), ["qux", "norf"]);

    let exists_with_values = LabelSelector {
        match_expressions: vec![expression(
            "baz",
            LabelSelectorOperator::Exists,
            &["qux", "norf"],
        )],
        ..Default::default()
    };
    let e = Requirements::from_label_selector(&exists_with_values).unwrap_err();
    assert_eq!(
        e.to_string(),
        "values: Invalid value: []string{\"qux\", \"norf\"}: values set must be empty for exists and does not exist"
    );
    assert_eq!(Selector::compile(Some(&exists_with_values)).unwrap_err(), e);

    let unknown = LabelSelector {
        match_expressions: vec![expression(
            "a",
            LabelSelectorOperator::Other("Foo".into()),
            &[],
        )],
        ..Default::default()
    };
    assert_eq!(
        Requirements::from_label_selector(&unknown)
            .unwrap_err()
            .to_string(),
        "\"Foo\" is not a valid label selector operator"
    );
}

#[test]
fn match_labels_sort_before_expressions_on_the_same_key() {
    let sel = LabelSelector {
        match_labels: labels(&[("b", "1"), ("a", "x")]),
        match_expressions: vec![
            expression("b", LabelSelectorOperator::Exists, &[]),
            expression("a", LabelSelectorOperator::NotIn, &["y"]),
        ],
        ..Default::default()
    };
    assert_eq!(
        Requirements::from_label_selector(&sel).unwrap().to_string(),
        "a=x,a notin (y),b=1,b"
    );
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]([A-Za-z0-9_.-]{0,6}[A-Za-z0-9])?",
        Just("in".to_owned()),
        Just("notin".to_owned()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => name(),
        1 => ("[a-z0-9]([a-z0-9-]{0,4}[a-z0-9])?(\\.[a-z0-9]{1,3}){0,2}", name())
            .prop_map(|(p, n)| format!("{p}/{n}")),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 4 => name()]
}

const OPERATORS: [Operator; 9] = [
    Operator::Equals,
    Operator::DoubleEquals,
    Operator::NotEquals,
    Operator::In,
    Operator::NotIn,
    Operator::Exists,
    Operator::DoesNotExist,
    Operator::GreaterThan,
    Operator::LessThan,
];

/// A valid requirement in the form the parser produces (set values sorted, de-duplicated).
fn requirement() -> impl Strategy<Value = Requirement> {
    (key(), 0..OPERATORS.len()).prop_flat_map(|(key, i)| {
        let op = OPERATORS[i];
        let values: BoxedStrategy<Vec<String>> = match op {
            Operator::In | Operator::NotIn => prop::collection::btree_set(value(), 1..4)
                .prop_map(|s| s.into_iter().collect())
                .boxed(),
            Operator::Exists | Operator::DoesNotExist => Just(Vec::new()).boxed(),
            Operator::GreaterThan | Operator::LessThan => {
                "[0-9]{1,6}".prop_map(|v| vec![v]).boxed()
            }
            _ => value().prop_map(|v| vec![v]).boxed(),
        };
        values.prop_map(move |v| Requirement::new(key.clone(), op, v).unwrap())
    })
}

/// Pieces of the grammar, valid and invalid, glued into strings.
fn token_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("x"),
        Just("app"),
        Just("a.b/c"),
        Just("in"),
        Just("notin"),
        Just("("),
        Just(")"),
        Just(","),
        Just("="),
        Just("=="),
        Just("!="),
        Just("!"),
        Just(">"),
        Just("<"),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\0"),
        Just("1"),
        Just("-"),
        Just("é"),
        Just("||"),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(support::cases(256))]

    #[test]
    fn printing_then_parsing_gives_back_the_requirements(
        reqs in prop::collection::vec(requirement(), 0..6)
    ) {
        let r = Requirements::new(reqs);
        let printed = r.to_string();
        let back = parse(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
        prop_assert_eq!(&back, &r, "{}", printed);
        prop_assert_eq!(back.to_string(), printed);
    }

    #[test]
    fn parsing_never_panics_and_its_output_is_a_fixed_point(
        s in prop_oneof![any::<String>(), token_soup()]
    ) {
        match parse(&s) {
            Ok(r) => {
                let printed = r.to_string();
                let again = parse(&printed).unwrap_or_else(|e| panic!("{s:?} -> {printed:?}: {e}"));
                prop_assert_eq!(&again, &r);
                prop_assert_eq!(again.to_string(), printed);
            }
            Err(e) => {
                prop_assert!(e.position <= s.len());
                prop_assert!(s.is_char_boundary(e.position));
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

/// The obvious reading of an API selector, written independently of the crate.
fn naive_matches(sel: &LabelSelector, labels: &Labels) -> bool {
    sel.match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && sel.match_expressions.iter().all(|e| {
            let got = labels.get(&e.key);
            match e.operator {
                LabelSelectorOperator::In => got.is_some_and(|g| e.values.contains(g)),
                LabelSelectorOperator::NotIn => got.is_none_or(|g| !e.values.contains(g)),
                LabelSelectorOperator::Exists => got.is_some(),
                LabelSelectorOperator::DoesNotExist => got.is_none(),
                _ => false,
            }
        })
}

const KEYS: [&str; 5] = ["a", "b", "app", "tier", "x.io/y"];
const VALUES: [&str; 4] = ["", "v", "w", "web"];

fn pool_key() -> impl Strategy<Value = String> {
    prop::sample::select(&KEYS[..]).prop_map(str::to_owned)
}

fn pool_value() -> impl Strategy<Value = String> {
    prop::sample::select(&VALUES[..]).prop_map(str::to_owned)
}

fn api_selector() -> impl Strategy<Value = LabelSelector> {
    let op = prop::sample::select(vec![
        LabelSelectorOperator::In,
        LabelSelectorOperator::NotIn,
        LabelSelectorOperator::Exists,
        LabelSelectorOperator::DoesNotExist,
    ]);
    let expr = (
        pool_key(),
        op,
        prop::collection::vec(pool_value(), 0..3),
        any::<u8>(),
    )
        .prop_map(|(key, operator, values, roll)| {
            // Mostly well-formed; now and then values where none belong or none where some do.
            let well_formed = roll % 8 != 0;
            let values = match (&operator, well_formed) {
                (LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist, true) => {
                    Vec::new()
                }
                (_, true) if values.is_empty() => vec!["v".to_owned()],
                _ => values,
            };
            LabelSelectorRequirement {
                key,
                operator,
                values,
                ..Default::default()
            }
        });
    (
        prop::collection::vec((pool_key(), pool_value()), 0..3),
        prop::collection::vec(expr, 0..3),
    )
        .prop_map(|(ml, me)| LabelSelector {
            match_labels: ml.into_iter().collect(),
            match_expressions: me,
            ..Default::default()
        })
}

fn label_set() -> impl Strategy<Value = Labels> {
    (
        prop::collection::vec((pool_key(), pool_value()), 0..5),
        prop_oneof![3 => 0..4usize, 1 => 28..40usize],
    )
        .prop_map(|(pairs, filler)| {
            let mut l: Labels = pairs.into_iter().collect();
            // Now and then enough unrelated labels to take the hashed lookup path (over 32).
            for i in 0..filler {
                l.insert(format!("filler-{i}"), "f".to_owned());
            }
            l
        })
}

proptest! {
    #![proptest_config(support::cases(256))]

    #[test]
    fn compiled_selector_agrees_with_a_naive_matcher(
        sel in api_selector(),
        sets in prop::collection::vec(label_set(), 1..6),
    ) {
        // The matchLabels alone, as a ReplicationController's map selector.
        let map = Selector::from_map(&sel.match_labels);
        let map_owned = Requirements::from_map(&sel.match_labels).unwrap();
        for l in &sets {
            let want = sel.match_labels.iter().all(|(k, v)| l.get(k) == Some(v));
            prop_assert_eq!(map.matches(l), want);
            prop_assert_eq!(map_owned.matches(l), want);
        }
        let compiled = Selector::compile(Some(&sel));
        let owned = Requirements::from_label_selector(&sel);
        match (compiled, owned) {
            (Ok(compiled), Ok(owned)) => {
                let reparsed = parse(&owned.to_string()).unwrap();
                for l in &sets {
                    let want = naive_matches(&sel, l);
                    prop_assert_eq!(compiled.matches(l), want, "{} on {:?}", owned, l);
                    prop_assert_eq!(owned.matches(l), want);
                    prop_assert_eq!(reparsed.matches(l), want);
                }
                prop_assert_eq!(compiled.is_empty(), owned.is_empty());
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "compile {:?} but from_label_selector {:?}", a.err(), b.err()),
        }
    }
}

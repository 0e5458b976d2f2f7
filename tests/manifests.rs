//! Manifest decoding and encoding: the book's manifests, kubectl's rules for kinds, versions
//! and unknown fields, and every kind of bad input.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::disallowed_methods)] // the alias-bomb test times itself

use kube_workloads::manifest::{
    self, DecodeOptions, Document, ErrorKind, FieldValidation, Format, Location, ManifestError,
    Object,
};
use kube_workloads::validation::FieldPath;
use kube_workloads::{IntOrString, Value};

fn book(name: &str) -> Vec<u8> {
    let path = format!("{}/examples/manifests/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn errors(input: impl AsRef<[u8]>) -> Vec<ManifestError> {
    manifest::decode(input).unwrap_err().into_errors()
}

fn only_error(input: impl AsRef<[u8]>) -> ManifestError {
    let mut errs = errors(input);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs.remove(0)
}

fn with(validation: FieldValidation, input: &str) -> Result<Vec<Document>, manifest::DecodeError> {
    manifest::decode_with(
        input,
        &DecodeOptions {
            field_validation: validation,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The book's manifests

#[test]
fn the_books_pod_decodes() {
    let docs = manifest::decode(book("sample-pod.yaml")).unwrap();
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!((d.index, d.line(), d.format), (0, 1, Format::Yaml));
    let Object::Pod(pod) = &d.object else {
        panic!("{:?}", d.object)
    };
    assert_eq!(pod.metadata.name, "sample-pod");
    assert_eq!(pod.spec.containers.len(), 1);
    assert_eq!(pod.spec.containers[0].name, "nginx-container");
    assert_eq!(pod.spec.containers[0].image, "nginx:1.16");
    assert!(d.warnings.is_empty());
}

#[test]
fn the_books_replica_set_and_deployment_decode() {
    let docs = manifest::decode(book("sample-rs.yaml")).unwrap();
    let Object::ReplicaSet(rs) = &docs[0].object else {
        panic!()
    };
    assert_eq!(rs.metadata.name, "sample-rs");
    assert_eq!(rs.spec.replicas, Some(3));
    let selector = rs.spec.selector.as_ref().unwrap();
    assert_eq!(selector.match_labels["app"], "sample-app");
    assert_eq!(rs.spec.template.metadata.labels["app"], "sample-app");
    assert_eq!(rs.spec.template.spec.containers[0].image, "nginx:1.16");

    let docs = manifest::decode(book("sample-deployment.yaml")).unwrap();
    let d = &docs[0];
    assert_eq!(d.object.kind(), "Deployment");
    assert_eq!(d.object.api_version(), "apps/v1");
    assert_eq!(d.object.name(), "sample-deployment");
    assert_eq!(d.object.namespace(), "");
    let Object::Deployment(dep) = &d.object else {
        panic!()
    };
    assert_eq!(dep.replicas(), 3);
    assert_eq!(dep.spec.template.spec.containers[0].name, "nginx-container");
}

/// The book's second Pod has two mistakes: `apiversion` (lower case v) and `kind: pod`.
/// kubectl stops at the first ("apiVersion not set"); we report both, with the fix for each.
#[test]
fn the_books_broken_pod_reports_both_mistakes_word_for_word() {
    let err = manifest::decode(book("sample-2pod.yaml")).unwrap_err();
    assert_eq!(
        err.report("sample-2pod.yaml"),
        "error: error validating \"sample-2pod.yaml\": document 1, line 1:1: unknown field \"apiversion\", did you mean \"apiVersion\"?\n\
         error: error validating \"sample-2pod.yaml\": document 1, line 2:7: kind: unknown kind \"pod\", did you mean \"Pod\"? (kinds are case-sensitive CamelCase; known kinds: Pod, ReplicaSet, ReplicationController, Deployment)\n"
    );
    let errs = err.errors();
    assert_eq!(errs.len(), 2);
    assert_eq!(
        errs[0].kind,
        ErrorKind::UnknownField {
            field: "apiversion".into(),
            suggestion: Some("apiVersion"),
            type_name: "Pod",
        }
    );
    assert_eq!(errs[0].path, FieldPath::parse("apiversion"));
    assert_eq!(errs[0].location, Location::new(1, 1));
    assert_eq!(
        errs[1].kind,
        ErrorKind::UnknownKind {
            kind: "pod".into(),
            suggestion: Some("Pod"),
        }
    );
    assert_eq!(errs[1].path, FieldPath::parse("kind"));
    assert_eq!(errs[1].location, Location::new(2, 7));
    assert_eq!(
        errs[1].to_string(),
        "document 1, line 2:7: kind: unknown kind \"pod\", did you mean \"Pod\"? (kinds are case-sensitive CamelCase; known kinds: Pod, ReplicaSet, ReplicationController, Deployment)"
    );
}

#[test]
fn the_broken_pod_without_strict_validation_still_fails_on_kind_and_version() {
    let text = String::from_utf8(book("sample-2pod.yaml")).unwrap();
    for v in [FieldValidation::Warn, FieldValidation::Ignore] {
        let errs = with(v, &text).unwrap_err().into_errors();
        let kinds: Vec<_> = errs.iter().map(|e| &e.kind).collect();
        assert_eq!(
            kinds,
            [
                &ErrorKind::MissingField {
                    field: "apiVersion"
                },
                &ErrorKind::UnknownKind {
                    kind: "pod".into(),
                    suggestion: Some("Pod")
                },
            ],
            "{v:?}"
        );
        assert_eq!(
            errs[0].to_string(),
            "document 1, line 1:1: apiVersion not set"
        );
    }
}

#[test]
fn fixing_the_broken_pod_makes_it_decode() {
    let text = String::from_utf8(book("sample-2pod.yaml"))
        .unwrap()
        .replace("apiversion", "apiVersion")
        .replace("kind: pod", "kind: Pod");
    let docs = manifest::decode(&text).unwrap();
    let Object::Pod(pod) = &docs[0].object else {
        panic!()
    };
    let names: Vec<_> = pod
        .spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["nginx-container", "redis-container"]);
}

// ---------------------------------------------------------------------------------------------
// Kinds and versions

#[test]
fn kinds_are_case_sensitive_and_camel_case() {
    for (kind, suggestion) in [
        ("pod", Some("Pod")),
        ("POD", Some("Pod")),
        ("replicaset", Some("ReplicaSet")),
        ("deployment", Some("Deployment")),
        ("Replicationcontroller", Some("ReplicationController")),
        ("service", None),
        ("configMap", None),
    ] {
        let e = only_error(format!("apiVersion: v1\nkind: {kind}\n"));
        assert_eq!(
            e.kind,
            ErrorKind::UnknownKind {
                kind: kind.into(),
                suggestion
            },
            "{kind}"
        );
        assert!(
            e.to_string()
                .contains("known kinds: Pod, ReplicaSet, ReplicationController, Deployment")
        );
    }
}

#[test]
fn other_camel_case_kinds_pass_through() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  ports:\n  - port: 80\n    bogusField: 1\n";
    let docs = manifest::decode(text).unwrap();
    let Object::Other(o) = &docs[0].object else {
        panic!()
    };
    assert_eq!(o.type_meta.kind, "Service");
    assert_eq!(o.type_meta.api_version, "v1");
    assert_eq!((o.name.as_str(), o.namespace.as_str()), ("web", "prod"));
    assert_eq!(docs[0].object.name(), "web");
    assert!(docs[0].object.metadata().is_none());
    assert!(!docs[0].object.is_modelled());
    // Unmodelled kinds are kept verbatim (their fields are not validated).
    let back = manifest::encode_yaml(&[docs[0].object.clone()]).unwrap();
    assert_eq!(back, text);
}

#[test]
fn known_kinds_under_other_versions_are_errors() {
    for (kind, version, served) in [
        ("Deployment", "extensions/v1beta1", "apps/v1"),
        ("Deployment", "apps/v1beta2", "apps/v1"),
        ("Deployment", "v1", "apps/v1"),
        ("ReplicaSet", "extensions/v1beta1", "apps/v1"),
        ("Pod", "apps/v1", "v1"),
        ("ReplicationController", "apps/v1", "v1"),
    ] {
        let e = only_error(format!(
            "apiVersion: {version}\nkind: {kind}\nmetadata:\n  name: a\n"
        ));
        assert_eq!(e.path, FieldPath::parse("apiVersion"));
        assert_eq!(e.location, Location::new(1, 13));
        let ErrorKind::UnsupportedVersion {
            kind: k,
            api_version,
            served: s,
        } = &e.kind
        else {
            panic!("{e}")
        };
        assert_eq!((*k, api_version.as_str(), *s), (kind, version, served));
    }
    assert_eq!(
        only_error("apiVersion: apps/v1beta2\nkind: Deployment\n").to_string(),
        "document 1, line 1:13: apiVersion: no matches for kind \"Deployment\" in version \"apps/v1beta2\": use apiVersion: apps/v1"
    );
    let e = only_error("apiVersion: a/b/c\nkind: Widget\n");
    assert_eq!(
        e.kind,
        ErrorKind::InvalidApiVersion {
            api_version: "a/b/c".into()
        }
    );
}

#[test]
fn missing_kind_and_api_version_are_errors() {
    let e = only_error("apiVersion: v1\nmetadata:\n  name: a\n");
    assert_eq!(e.kind, ErrorKind::MissingField { field: "kind" });
    assert_eq!(e.to_string(), "document 1, line 1:1: kind not set");
    let e = only_error("kind: Pod\nmetadata:\n  name: a\n");
    assert_eq!(
        e.kind,
        ErrorKind::MissingField {
            field: "apiVersion"
        }
    );
    let e = only_error("kind: Pod\napiVersion: \"\"\n");
    assert_eq!(
        e.kind,
        ErrorKind::MissingField {
            field: "apiVersion"
        }
    );
    let errs = errors("metadata:\n  name: a\n");
    assert_eq!(errs.len(), 2);
    let e = only_error("apiVersion: v1\nkind: [Pod]\n");
    assert_eq!(
        e.kind,
        ErrorKind::WrongType {
            expected: "string".into(),
            found: "list".into()
        }
    );
}

#[test]
fn documents_that_are_not_objects_are_errors() {
    for (text, found) in [
        ("- a\n- b\n", "list"),
        ("just a string\n", "string"),
        ("[1, 2]", "list"),
        ("42\n", "integer"),
    ] {
        let e = only_error(text);
        assert_eq!(e.kind, ErrorKind::NotAnObject { found }, "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Strict field validation

const TYPO: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  lables:\n    app: web\nspec:\n  replica: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n          protocl: TCP\n";

#[test]
fn unknown_fields_are_errors_with_path_and_suggestion() {
    let errs = errors(TYPO);
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "document 1, line 5:3: unknown field \"metadata.lables\", did you mean \"labels\"?",
            "document 1, line 8:3: unknown field \"spec.replica\", did you mean \"replicas\"?",
            "document 1, line 16:11: unknown field \"spec.template.spec.containers[0].ports[0].protocl\", did you mean \"protocol\"?",
        ]
    );
    assert_eq!(
        errs[2].kind,
        ErrorKind::UnknownField {
            field: "protocl".into(),
            suggestion: Some("protocol"),
            type_name: "ContainerPort"
        }
    );
}

#[test]
fn warn_mode_returns_unknown_fields_as_warnings_and_ignore_mode_keeps_them_quietly() {
    let docs = with(FieldValidation::Warn, TYPO).unwrap();
    let warnings: Vec<_> = docs[0]
        .warnings
        .iter()
        .map(|w| w.path.to_string())
        .collect();
    assert_eq!(
        warnings,
        [
            "metadata.lables",
            "spec.replica",
            "spec.template.spec.containers[0].ports[0].protocl"
        ]
    );
    let docs = with(FieldValidation::Ignore, TYPO).unwrap();
    assert!(docs[0].warnings.is_empty());
    // Nothing is dropped either way.
    let Object::Deployment(d) = &docs[0].object else {
        panic!()
    };
    assert!(d.spec.extra.contains_key("replica"));
    assert!(
        manifest::encode_yaml(&[docs[0].object.clone()])
            .unwrap()
            .contains("replica: 3")
    );
}

#[test]
fn unknown_fields_in_json_are_located_too() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"spec\": {\"containers\": [{\"name\": \"a\", \"imagee\": \"x\"}]}\n}\n";
    let e = only_error(text);
    assert_eq!(e.path.to_string(), "spec.containers[0].imagee");
    assert_eq!(e.location, Location::new(4, 41));
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn non_utf8_input_reports_the_byte_offset_and_line() {
    let mut input =
        b"apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ".to_vec();
    let offset = input.len();
    input.extend_from_slice(b"\xC3\x28\n");
    let e = only_error(&input);
    assert_eq!(e.kind, ErrorKind::InvalidUtf8 { offset });
    assert_eq!(e.document, 1);
    assert_eq!(e.location, Location::new(7, 9));
    assert!(
        e.to_string()
            .contains(&format!("invalid UTF-8 at byte offset {offset}"))
    );
    // A UTF-8 byte-order mark is fine; UTF-16 with a mark is decoded.
    assert!(manifest::decode(b"\xEF\xBB\xBFapiVersion: v1\nkind: Pod\n").is_ok());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "apiVersion: v1\nkind: Pod\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert!(manifest::decode(&utf16).is_ok());
}

#[test]
fn empty_input_is_an_error_and_empty_documents_are_skipped() {
    for text in [
        "",
        "   \n\n",
        "# nothing here\n",
        "---\n---\n",
        "---\n# a\n...\n",
        "~\n",
        "null\n",
    ] {
        assert_eq!(only_error(text).kind, ErrorKind::Empty, "{text:?}");
    }
    assert_eq!(
        manifest::decode("").unwrap_err().to_string(),
        "document 1, line 1:1: no objects passed to apply: the input holds no document"
    );
    let docs = manifest::decode("---\n# license header\n---\napiVersion: v1\nkind: Pod\n---\n\n---\napiVersion: apps/v1\nkind: Deployment\n---\n").unwrap();
    let seen: Vec<_> = docs
        .iter()
        .map(|d| (d.index, d.object.kind(), d.line()))
        .collect();
    assert_eq!(seen, [(0, "Pod", 4), (1, "Deployment", 9)]);
}

#[test]
fn wrong_types_and_out_of_range_integers_name_the_field() {
    let e = only_error("apiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  replicas: \"3\"\n");
    assert_eq!(e.path.to_string(), "spec.replicas");
    assert_eq!(e.location, Location::new(4, 13));
    assert_eq!(
        e.kind,
        ErrorKind::WrongType {
            expected: "int32".into(),
            found: "string \"3\"".into()
        }
    );
    let e = only_error("apiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  replicas: 99999999999\n");
    assert_eq!(
        e.kind,
        ErrorKind::OutOfRange {
            value: "99999999999".into(),
            expected: "int32".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "document 1, line 4:13: spec.replicas: value 99999999999 is out of range, expected int32"
    );
    let e = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: [x]\n");
    assert_eq!(e.path.to_string(), "metadata.labels.app");
    let e = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: yesterday\n");
    assert!(matches!(e.kind, ErrorKind::InvalidValue { .. }), "{e}");
    // The same in JSON, through the fast path's fallback.
    let e =
        only_error(r#"{"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}}"#);
    assert_eq!(e.path.to_string(), "spec.replicas");
    assert_eq!(e.location, Location::new(1, 70));
    let e = only_error(
        r#"{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":99999999999}}"#,
    );
    assert!(matches!(e.kind, ErrorKind::OutOfRange { .. }));
}

#[test]
fn duplicate_keys_are_errors() {
    let e = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n");
    assert_eq!(e.kind, ErrorKind::DuplicateKey { key: "name".into() });
    assert_eq!(e.path.to_string(), "metadata.name");
    assert_eq!(e.location, Location::new(5, 3));
    let e = only_error(
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"metadata\": {\"labels\": {\"a\": \"1\", \"a\": \"2\"}}}",
    );
    assert_eq!(e.kind, ErrorKind::DuplicateKey { key: "a".into() });
    assert_eq!(e.path.to_string(), "metadata.labels.a");
    assert_eq!(e.location.line, 2);
    let e = only_error(r#"{"apiVersion": "v1", "kind": "Pod", "kind": "Pod"}"#);
    assert_eq!(e.kind, ErrorKind::DuplicateKey { key: "kind".into() });
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 10_000;
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = only_error(&yaml);
    assert_eq!(
        e.kind,
        ErrorKind::TooDeep {
            limit: manifest::MAX_DEPTH
        }
    );
    assert_eq!(e.location.line, 4);
    let json = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"x\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = only_error(&json);
    assert_eq!(
        e.kind,
        ErrorKind::TooDeep {
            limit: manifest::MAX_DEPTH
        }
    );
    let blocks: String = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    assert_eq!(
        only_error(&blocks).kind,
        ErrorKind::TooDeep {
            limit: manifest::MAX_DEPTH
        }
    );
}

#[test]
fn alias_bombs_are_bounded() {
    // The "billion laughs": nine levels of ten aliases each.
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    let e = only_error(&text);
    assert_eq!(e.kind, ErrorKind::ExcessiveAliasing);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Ordinary anchors and merges are fine.
    let docs = manifest::decode("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: &l {app: web}\n  annotations:\n    <<: *l\n    team: a\n").unwrap();
    let meta = docs[0].object.metadata().unwrap();
    assert_eq!(meta.annotations["app"], "web");
    assert_eq!(meta.annotations["team"], "a");
}

#[test]
fn many_errors_in_a_large_document_are_located_in_one_pass() {
    let mut text = String::from("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n");
    for i in 0..20_000 {
        text.push_str(&format!("  - name: c{i}\n    imagee: x\n"));
    }
    let started = std::time::Instant::now();
    let errs = errors(&text);
    assert_eq!(errs.len(), 20_000);
    assert_eq!(errs[19_999].location, Location::new(40_004, 5));
    assert_eq!(
        errs[19_999].path.to_string(),
        "spec.containers[19999].imagee"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn documents_above_three_mebibytes_are_rejected() {
    let big = "x".repeat(manifest::MAX_DOCUMENT_BYTES);
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  big: {big}\n---\napiVersion: v1\nkind: Pod\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].document, 0);
    assert!(matches!(
        errs[0].kind,
        ErrorKind::TooLarge {
            limit: 3_145_728,
            ..
        }
    ));
    let json = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {{\"big\": \"{big}\"}}}}"
    );
    assert!(matches!(only_error(&json).kind, ErrorKind::TooLarge { .. }));
    // Many documents may add up to more than the limit.
    let small = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  v: {}\n",
        "y".repeat(1 << 20)
    );
    let stream = vec![small; 4].join("---\n");
    assert_eq!(manifest::decode(&stream).unwrap().len(), 4);
}

#[test]
fn syntax_errors_are_located() {
    let e = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n");
    assert!(matches!(e.kind, ErrorKind::Syntax { .. }));
    assert_eq!(e.location.line, 4);
    let e = only_error("{\"apiVersion\": \"v1\",\n \"kind\": \"Pod\",}");
    assert_eq!(e.location, Location::new(2, 16));
    assert!(matches!(&e.kind, ErrorKind::Syntax { message } if message == "trailing comma"));
    let e = only_error("apiVersion: v1\nkind: Pod\n--- !tag\n");
    assert_eq!(
        e.kind,
        ErrorKind::InvalidSeparator {
            text: "!tag".into()
        }
    );
    assert_eq!(e.location, Location::new(3, 4));
    let e = only_error("a: \"unterminated\n");
    assert!(matches!(e.kind, ErrorKind::Syntax { .. }));
    let e = only_error("a: !!int abc\n");
    assert!(matches!(e.kind, ErrorKind::TagMismatch { .. }));
    let e = only_error("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: .inf\n");
    assert!(matches!(e.kind, ErrorKind::NonFiniteNumber { .. }));
}

#[test]
fn every_document_with_problems_is_reported() {
    let text = "apiVersion: v1\nkind: pod\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\napiVersion: apps/v1\nkind: ReplicaSet\nspec: {replicas: x}\n";
    let errs = errors(text);
    let seen: Vec<_> = errs.iter().map(|e| (e.document, e.location.line)).collect();
    assert_eq!(seen, [(0, 2), (2, 10)]);
}

// ---------------------------------------------------------------------------------------------
// Lists and JSON streams

#[test]
fn lists_are_expanded() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: c}\n";
    let docs = manifest::decode(text).unwrap();
    let seen: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                d.index,
                d.path.to_string(),
                d.object.kind(),
                d.object.name(),
                d.line(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (0, "items[0]".to_owned(), "Pod", "a", 4),
            (0, "items[1]".to_owned(), "Deployment", "b", 7),
            (0, "items[2]".to_owned(), "Service", "c", 10),
        ]
    );
    let e = only_error(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec: {replicas: 1}\n",
    );
    assert_eq!(e.path.to_string(), "items[0].spec.replicas");
    assert_eq!(e.location, Location::new(6, 10));
}

#[test]
fn typed_list_items_take_their_kind_from_the_list() {
    let json = r#"{"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}"#;
    let docs = manifest::decode(json).unwrap();
    let names: Vec<_> = docs
        .iter()
        .map(|d| (d.object.kind(), d.object.name()))
        .collect();
    assert_eq!(names, [("Pod", "a"), ("Pod", "b")]);
    assert_eq!(docs[0].format, Format::Json);
}

#[test]
fn json_streams_hold_several_objects() {
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}}\nnull\n{\"kind\": \"Deployment\", \"apiVersion\": \"apps/v1\"}{\"metadata\": {\"name\": \"c\"}, \"apiVersion\": \"v1\", \"kind\": \"Pod\"}";
    let docs = manifest::decode(text).unwrap();
    let seen: Vec<_> = docs
        .iter()
        .map(|d| (d.index, d.object.kind(), d.object.name(), d.location))
        .collect();
    assert_eq!(
        seen,
        [
            (0, "Pod", "a", Location::new(1, 1)),
            (1, "Deployment", "", Location::new(3, 1)),
            (2, "Pod", "c", Location::new(3, 48)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Encoding

#[test]
fn encoding_keeps_every_field_in_order() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    b: \"2\"\n    a: \"1\"\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        env:\n        - name: DEBUG\n          value: \"yes\"\n        - name: MODE\n          value: \"0644\"\n      volumes:\n      - name: data\n        emptyDir: {}\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 25%\n";
    let docs = manifest::decode(text).unwrap();
    let Object::Deployment(d) = &docs[0].object else {
        panic!()
    };
    assert_eq!(
        d.spec
            .strategy
            .rolling_update
            .as_ref()
            .unwrap()
            .max_unavailable,
        Some(IntOrString::String("25%".into()))
    );
    let yaml = manifest::encode_yaml(&[docs[0].object.clone()]).unwrap();
    assert_eq!(
        yaml,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    b: \"2\"\n    a: \"1\"\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        env:\n        - name: DEBUG\n          value: \"yes\"\n        - name: MODE\n          value: \"0644\"\n      volumes:\n      - name: data\n        emptyDir: {}\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 25%\n      maxSurge: 1\nstatus: {}\n"
            .replace("status: {}\n", "")
    );
    let again = manifest::decode(&yaml).unwrap();
    assert_eq!(again[0].object, docs[0].object);
}

#[test]
fn json_encoding_looks_like_kubectl() {
    let docs = manifest::decode(book("sample-pod.yaml")).unwrap();
    let json = docs[0].object.encode(Format::Json).unwrap();
    assert_eq!(
        json,
        "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n        \"name\": \"sample-pod\"\n    },\n    \"spec\": {\n        \"containers\": [\n            {\n                \"name\": \"nginx-container\",\n                \"image\": \"nginx:1.16\"\n            }\n        ]\n    }\n}\n"
    );
    let objects: Vec<Object> = manifest::decode_objects(book("sample-rs.yaml"))
        .unwrap()
        .into_iter()
        .chain(manifest::decode_objects(book("sample-deployment.yaml")).unwrap())
        .collect();
    let list = manifest::encode_json(&objects).unwrap();
    assert!(
        list.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"),
        "{list}"
    );
    assert!(list.ends_with("    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"));
    let back = manifest::decode_objects(&list).unwrap();
    assert_eq!(back, objects);
    let yaml = manifest::encode_yaml(&objects).unwrap();
    assert!(yaml.contains("\n---\napiVersion: apps/v1\nkind: Deployment\n"));
    assert_eq!(manifest::decode_objects(&yaml).unwrap(), objects);
}

#[test]
fn strings_that_yaml_1_1_would_misread_are_quoted() {
    let mut map = kube_workloads::value::Mapping::new();
    for s in [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "~",
        "null",
        "true",
        "0644",
        "0x1F",
        "1_000",
        "1e3",
        "1:20",
        "2024-05-01",
        ".5",
        "<<",
        "",
        " x",
        "a: b",
        "- x",
        "#x",
    ] {
        map.insert(s.to_owned(), Value::from(s));
    }
    let v = Value::Mapping(map);
    let yaml = manifest::value_to_yaml(&v);
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n");
    for line in yaml.lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    let docs = manifest::decode(&text).unwrap();
    let Object::Other(o) = &docs[0].object else {
        panic!()
    };
    assert_eq!(o.value.get("data"), Some(&v));
}

#[test]
fn locate_finds_fields_in_yaml_and_json() {
    let yaml = String::from_utf8(book("sample-deployment.yaml")).unwrap();
    assert_eq!(
        manifest::locate(
            &yaml,
            0,
            &FieldPath::parse("spec.template.spec.containers[0].image")
        ),
        Some(Location::new(17, 15))
    );
    assert_eq!(
        manifest::locate(&yaml, 0, &FieldPath::parse("spec.replicas")),
        Some(Location::new(6, 5))
    );
    assert_eq!(manifest::locate(&yaml, 1, &FieldPath::root()), None);
    let json = manifest::encode_json(&manifest::decode_objects(&yaml).unwrap()).unwrap();
    assert_eq!(
        manifest::locate(&json, 0, &FieldPath::parse("spec.replicas")),
        Some(Location::new(8, 9))
    );
}

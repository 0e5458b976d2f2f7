//! The corpus of real manifests (kubernetes/examples): every document decodes or is a reported
//! pass-through kind, re-encodes, decodes again to an equal object, and loses no field.
//!
//! The corpus lives outside the crate, at `$CARGO_MANIFEST_DIR/../shared/corpus`
//! (`KUBE_WORKLOADS_CORPUS` overrides the path); the test is skipped, with a message, when it
//! is absent.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kube_workloads::Value;
use kube_workloads::manifest::{self, ErrorKind, Format, Object};
use kube_workloads::value::Mapping;

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("KUBE_WORKLOADS_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    dir.is_dir().then_some(dir)
}

fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            manifests(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

/// Drops what Go's `omitempty` drops when the API types write an object back: `null`, `""`,
/// `0`, `false`, `[]` and `{}` entries of mappings (after normalising their contents). Applied
/// to both sides of a comparison, so a field that is lost entirely is still noticed unless its
/// value was one of these zero values.
fn normalise(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Int(0) | Value::Bool(false) => None,
        Value::Sequence(items) => {
            // List items keep their position, so empty items stay (as `null`).
            let items: Vec<Value> = items
                .iter()
                .map(|i| normalise(i).unwrap_or(Value::Null))
                .collect();
            (!items.is_empty()).then_some(Value::Sequence(items))
        }
        Value::Mapping(m) => {
            let m: Mapping = m
                .iter()
                .filter_map(|(k, v)| normalise(v).map(|v| (k.clone(), v)))
                .collect();
            (!m.is_empty()).then_some(Value::Mapping(m))
        }
        other => Some(other.clone()),
    }
}

fn leaves(v: &Value) -> usize {
    match v {
        Value::Sequence(items) => items.iter().map(leaves).sum(),
        Value::Mapping(m) => m.values().map(leaves).sum(),
        _ => 1,
    }
}

/// Paths where two trees differ (for the failure message).
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => diff(v, w, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: lost")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: added"));
            }
        }
        (Value::Sequence(x), Value::Sequence(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a:?} != {b:?}")),
    }
}

/// Strict-validation errors the corpus is known to contain: (file, field path, why). None:
/// every field the corpus sets on a Pod, ReplicationController or Deployment is defined by the
/// v1.32 API.
const EXPECTED_STRICT_ERRORS: &[(&str, &str, &str)] = &[];

/// Documents the corpus holds that are not valid manifests: (file, error, why). kubectl rejects
/// them too; they are listed here rather than accepted.
const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[
    (
        "kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml",
        "document 1, line 12:3: spec.selector: duplicate key \"selector\": each key may appear once",
        "`spec.selector` is written twice (lines 6 and 12)",
    ),
    (
        "kubernetes-examples/_archived/openshift-origin/etcd-discovery-controller.yaml",
        "document 1, line 12:3: spec.selector: duplicate key \"selector\": each key may appear once",
        "`spec.selector` is written twice (lines 6 and 12)",
    ),
    (
        "kubernetes-examples/_archived/openshift-origin/openshift-controller.yaml",
        "document 1, line 12:3: spec.selector: duplicate key \"selector\": each key may appear once",
        "`spec.selector` is written twice (lines 6 and 12)",
    ),
    (
        "kubernetes-examples/_archived/storage/vitess/etcd-controller-template.yaml",
        "document 1, line 6:23: spec.replicas: a mapping key must be a string, found mapping",
        "a template: `replicas: {{replicas}}` is a flow mapping used as a key, filled in by a script",
    ),
    (
        "kubernetes-examples/_archived/storage/vitess/vtgate-controller-template.yaml",
        "document 1, line 6:23: spec.replicas: a mapping key must be a string, found mapping",
        "a template: `replicas: {{replicas}}` is a flow mapping used as a key, filled in by a script",
    ),
];

#[test]
fn every_corpus_document_round_trips_without_losing_a_field() {
    let Some(dir) = corpus_dir() else {
        println!(
            "SKIPPED: no corpus at {}/../shared/corpus (set KUBE_WORKLOADS_CORPUS to run this test)",
            env!("CARGO_MANIFEST_DIR")
        );
        return;
    };
    let mut files = Vec::new();
    manifests(&dir, &mut files);
    assert!(!files.is_empty(), "no manifests under {}", dir.display());

    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut pass_through: BTreeMap<String, usize> = BTreeMap::new();
    let mut fields = 0;
    let mut documents = 0;
    let mut strict_errors = Vec::new();
    let mut failures = Vec::new();

    for file in &files {
        let name = file.strip_prefix(&dir).unwrap().display().to_string();
        let bytes = std::fs::read(file).unwrap();
        let values = match manifest::decode_values(&bytes) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let docs = match manifest::decode(&bytes) {
            Ok(docs) => docs,
            Err(e) => {
                for err in e.errors() {
                    if let ErrorKind::UnknownField { .. } = err.kind {
                        strict_errors.push((name.clone(), err.path.to_string(), err.to_string()));
                    } else {
                        failures.push(format!("{name}: {err}"));
                    }
                }
                continue;
            }
        };
        for doc in &docs {
            documents += 1;
            *per_kind.entry(doc.object.kind().to_owned()).or_default() += 1;
            if let Object::Other(_) = doc.object {
                *pass_through
                    .entry(doc.object.kind().to_owned())
                    .or_default() += 1;
            }
            // The document as written (`items[i]` of a list).
            let mut original = values.get(doc.index).unwrap();
            for seg in doc.path.segments() {
                original = match seg {
                    kube_workloads::validation::PathSegment::Field(f) => original.get(f).unwrap(),
                    kube_workloads::validation::PathSegment::Index(i) => match original {
                        Value::Sequence(s) => &s[*i],
                        _ => panic!(),
                    },
                    kube_workloads::validation::PathSegment::Key(k) => original.get(k).unwrap(),
                };
            }
            let want = normalise(original).unwrap();
            let decoded = doc.object.to_value().unwrap();
            let mut lost = Vec::new();
            diff(&want, &normalise(&decoded).unwrap(), "", &mut lost);
            if !lost.is_empty() {
                failures.push(format!(
                    "{name} document {}: decoded differs: {lost:?}",
                    doc.index
                ));
            }
            fields += leaves(&want);

            for format in [Format::Yaml, Format::Json] {
                let text = doc.object.encode(format).unwrap();
                let again = match manifest::decode(&text) {
                    Ok(again) => again,
                    Err(e) => {
                        failures.push(format!(
                            "{name} document {} ({format:?}): {e}\n{text}",
                            doc.index
                        ));
                        continue;
                    }
                };
                if again.len() != 1 || again[0].object != doc.object {
                    failures.push(format!(
                        "{name} document {} ({format:?}): re-decoded object differs",
                        doc.index
                    ));
                    continue;
                }
                let mut lost = Vec::new();
                diff(
                    &want,
                    &normalise(&again[0].object.to_value().unwrap()).unwrap(),
                    "",
                    &mut lost,
                );
                if !lost.is_empty() {
                    failures.push(format!(
                        "{name} document {} ({format:?}): {lost:?}",
                        doc.index
                    ));
                }
            }
        }
    }

    println!("corpus: {} files, {documents} objects", files.len());
    for (kind, n) in &per_kind {
        println!("  {kind:<24} {n}");
    }
    println!("pass-through kinds (kept as written, not validated): {pass_through:?}");
    println!("fields preserved through decode -> encode -> decode: {fields}");
    if !strict_errors.is_empty() {
        println!("strict field validation errors:");
        for (file, _, e) in &strict_errors {
            println!("  {file}: {e}");
        }
    }

    let expected: Vec<(String, String)> = EXPECTED_STRICT_ERRORS
        .iter()
        .map(|(f, p, _)| ((*f).to_owned(), (*p).to_owned()))
        .collect();
    let found: Vec<(String, String)> = strict_errors
        .iter()
        .map(|(f, p, _)| (f.clone(), p.clone()))
        .collect();
    assert_eq!(found, expected, "strict field validation errors changed");
    let expected_failures: Vec<String> = EXPECTED_FAILURES
        .iter()
        .map(|(f, e, _)| format!("{f}: {e}"))
        .collect();
    println!("documents that are not valid manifests (rejected, as kubectl rejects them):");
    for (f, e, why) in EXPECTED_FAILURES {
        println!("  {f}: {e}\n    ({why})");
    }
    assert!(
        failures == expected_failures,
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The YAML loader (go-yaml v2 rules on the `yaml-rust2` parser) reads every corpus document
/// as serde_yaml (libyaml) does; the corpus has no scalar where YAML 1.1 and 1.2 disagree.
#[test]
fn the_yaml_loader_agrees_with_libyaml_on_the_corpus() {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: no corpus (see the other test)");
        return;
    };
    let mut files = Vec::new();
    manifests(&dir, &mut files);
    let mut compared = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(ours) = manifest::decode_values(&text) else {
            continue;
        };
        let libyaml: Vec<Value> = serde_yaml::Deserializer::from_str(&text)
            .map(|d| serde::Deserialize::deserialize(d).unwrap())
            .filter(|v: &Value| *v != Value::Null)
            .collect();
        assert_eq!(ours, libyaml, "{}", file.display());
        compared += 1;
    }
    println!("{compared} files read identically by both YAML parsers");
    assert!(compared > 100);
}

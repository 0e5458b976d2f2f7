//! scratch
use kube_workloads::manifest;
#[test]
fn print() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("2pod", std::fs::read("examples/manifests/sample-2pod.yaml").unwrap()),
        ("replicas str", b"apiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  replicas: \"3\"\n".to_vec()),
        ("replicas big", b"apiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  replicas: 99999999999\n".to_vec()),
        ("ext", b"apiVersion: extensions/v1beta1\nkind: Deployment\n".to_vec()),
        ("nokind", b"apiVersion: v1\nmetadata: {name: a}\n".to_vec()),
        ("noapi", b"kind: Pod\nmetadata: {name: a}\n".to_vec()),
        ("dup", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n".to_vec()),
        ("utf8", b"apiVersion: v1\nkind: Pod\n---\nmetadata:\n  name: \xff\n".to_vec()),
        ("empty", b"".to_vec()),
        ("comments", b"# hi\n---\n---\n".to_vec()),
        ("syntax", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n".to_vec()),
        ("unknown", b"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagee: x\n".to_vec()),
        ("json", br#"{"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}}"#.to_vec()),
        ("json unknown", br#"{"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replica": 3}}"#.to_vec()),
        ("json syntax", b"{\"apiVersion\": \"apps/v1\",\n \"kind\": \"Deployment\", \"spec\": {\"replicas\": 3,}}".to_vec()),
        ("json dup", b"{\"apiVersion\": \"apps/v1\",\n \"kind\": \"Deployment\", \"spec\": {\"replicas\": 3, \"replicas\": 4}}".to_vec()),
        ("list", b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: pod\n".to_vec()),
        ("sep", b"apiVersion: v1\nkind: Pod\n--- x\n".to_vec()),
    ];
    for (name, bytes) in cases {
        match manifest::decode(&bytes) {
            Ok(docs) => println!("== {name}: OK {:?}", docs.iter().map(|d| (d.index, d.object.kind().to_string(), d.location, d.path.to_string())).collect::<Vec<_>>()),
            Err(e) => println!("== {name}:\n{}", e.report(&format!("{name}.yaml"))),
        }
    }
}

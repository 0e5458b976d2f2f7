//! scratch
#[test]
fn sizes() {
    use kube_workloads::*;
    println!("Pod {} Deployment {} RS {} PodSpec {} Container {} ObjectMeta {} Value {} Object {} Document {} PodStatus {}",
        size_of::<Pod>(), size_of::<Deployment>(), size_of::<ReplicaSet>(), size_of::<PodSpec>(), size_of::<Container>(), size_of::<ObjectMeta>(), size_of::<Value>(), size_of::<manifest::Object>(), size_of::<manifest::Document>(), size_of::<api::PodStatus>());
}

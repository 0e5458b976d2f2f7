//! Go `%#v` / `%+v` renderings of the values upstream puts into validation messages.
//!
//! The API server prints a struct or map that has no `String()` method with Go's `%#v`, so the
//! text of a message depends on the Go type layout. These functions reproduce the renderings
//! for the types our messages carry. Go prints map entries sorted by key.
//!
//! One thing cannot be reproduced: Go prints a non-nil pointer inside a struct as its memory
//! address (`(*bool)(0xc000a1b2c8)`), which differs on every run. We print the fixed placeholder
//! [`GO_POINTER`] instead.

use crate::api::{ContainerPort, DeploymentStrategy};
use crate::meta::{LabelSelector, Labels, OwnerReference};
use crate::time::Time;
use crate::validation::field::go_quote;

/// The address printed for every non-nil pointer inside a rendered struct.
pub const GO_POINTER: &str = "0xc000000000";

/// `map[string]string{"a":"1", "b":"2"}`; an empty map prints as Go's nil map.
#[must_use]
pub fn string_map(m: &Labels) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".to_owned();
    }
    let mut entries: Vec<(&String, &String)> = m.iter().collect();
    entries.sort();
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", body.join(", "))
}

/// `[]string{"a", "b"}`; an empty slice prints as Go's nil slice.
#[must_use]
pub fn string_slice<S: AsRef<str>>(v: &[S]) -> String {
    if v.is_empty() {
        return "[]string(nil)".to_owned();
    }
    let body: Vec<String> = v.iter().map(|s| go_quote(s.as_ref())).collect();
    format!("[]string{{{}}}", body.join(", "))
}

/// `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}` (a `metav1.LabelSelector` value).
#[must_use]
pub fn label_selector(sel: &LabelSelector) -> String {
    let exprs = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_owned()
    } else {
        let items: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|e| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    go_quote(&e.key),
                    go_quote(e.operator.as_str()),
                    string_slice(&e.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        string_map(&sel.match_labels),
        exprs
    )
}

/// A `*metav1.LabelSelector` as an error value: the struct, or `null` for nil.
#[must_use]
pub fn label_selector_ptr(sel: Option<&LabelSelector>) -> String {
    sel.map_or_else(|| "null".to_owned(), label_selector)
}

fn bool_ptr(b: Option<bool>) -> String {
    match b {
        Some(_) => format!("(*bool)({GO_POINTER})"),
        None => "(*bool)(nil)".to_owned(),
    }
}

/// `v1.OwnerReference{APIVersion:"apps/v1", Kind:…, Name:…, UID:…, Controller:…, BlockOwnerDeletion:…}`.
#[must_use]
pub fn owner_reference(r: &OwnerReference) -> String {
    format!(
        "v1.OwnerReference{{APIVersion:{}, Kind:{}, Name:{}, UID:{}, Controller:{}, BlockOwnerDeletion:{}}}",
        go_quote(&r.api_version),
        go_quote(&r.kind),
        go_quote(&r.name),
        go_quote(&r.uid),
        bool_ptr(r.controller),
        bool_ptr(r.block_owner_deletion)
    )
}

/// `[]v1.OwnerReference{…}`.
#[must_use]
pub fn owner_references(refs: &[OwnerReference]) -> String {
    if refs.is_empty() {
        return "[]v1.OwnerReference(nil)".to_owned();
    }
    let items: Vec<String> = refs.iter().map(owner_reference).collect();
    format!("[]v1.OwnerReference{{{}}}", items.join(", "))
}

/// `apps.DeploymentStrategy{Type:"…", RollingUpdate:(*apps.RollingUpdateDeployment)(…)}` (the
/// internal type the apps validator sees).
#[must_use]
pub fn deployment_strategy(s: &DeploymentStrategy) -> String {
    let ru = if s.rolling_update.is_some() {
        format!("(*apps.RollingUpdateDeployment)({GO_POINTER})")
    } else {
        "(*apps.RollingUpdateDeployment)(nil)".to_owned()
    };
    format!(
        "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{}}}",
        go_quote(s.type_.as_str()),
        ru
    )
}

/// `%+v` of an internal `core.ContainerPort`:
/// `{Name:http HostPort:0 ContainerPort:80 Protocol:TCP HostIP:127.0.0.1}`.
#[must_use]
pub fn container_port_plus_v(p: &ContainerPort) -> String {
    format!(
        "{{Name:{} HostPort:{} ContainerPort:{} Protocol:{} HostIP:{}}}",
        p.name,
        p.host_port,
        p.container_port,
        p.protocol.as_str(),
        p.host_ip
    )
}

/// Go's `time.Time.String()` of a UTC instant (`2016-05-20 02:00:00 +0000 UTC`); `None` is Go's
/// zero time.
#[must_use]
pub fn go_time(t: Option<Time>) -> String {
    let rfc = t.map_or_else(|| "0001-01-01T00:00:00Z".to_owned(), |t| t.to_string());
    format!(
        "{} +0000 UTC",
        rfc.trim_end_matches('Z').replacen('T', " ", 1)
    )
}

/// A `*metav1.Time` as an error value: the time, or `null` for nil.
#[must_use]
pub fn go_time_ptr(t: Option<Time>) -> String {
    t.map_or_else(|| "null".to_owned(), |t| go_time(Some(t)))
}

/// Go's `%v` of a `[]string`: `[a b c]`.
#[must_use]
pub fn plain_string_list<S: AsRef<str>>(v: &[S]) -> String {
    let parts: Vec<&str> = v.iter().map(AsRef::as_ref).collect();
    format!("[{}]", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{DeploymentStrategyType, Protocol};
    use crate::meta::{LabelSelectorOperator, LabelSelectorRequirement};

    #[test]
    fn maps_and_selectors_render_as_go() {
        let mut m = Labels::new();
        m.insert("b".into(), "2".into());
        m.insert("a".into(), "1".into());
        assert_eq!(string_map(&m), r#"map[string]string{"a":"1", "b":"2"}"#);
        assert_eq!(string_map(&Labels::new()), "map[string]string(nil)");
        let sel = LabelSelector::from_labels([("app", "nginx-2")]);
        assert_eq!(
            label_selector(&sel),
            r#"v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx-2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"#
        );
        let sel = LabelSelector {
            match_expressions: vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: LabelSelectorOperator::In,
                values: vec!["x".into(), "y".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            label_selector(&sel),
            r#"v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"In", Values:[]string{"x", "y"}}}}"#
        );
        assert_eq!(label_selector_ptr(None), "null");
    }

    #[test]
    fn structs_render_as_go() {
        let s = DeploymentStrategy {
            type_: DeploymentStrategyType::Other("Foo".into()),
            ..Default::default()
        };
        assert_eq!(
            deployment_strategy(&s),
            r#"apps.DeploymentStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}"#
        );
        let p = ContainerPort {
            container_port: 80,
            protocol: Protocol::Tcp,
            host_ip: "127.0.0.1".into(),
            ..Default::default()
        };
        assert_eq!(
            container_port_plus_v(&p),
            "{Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:127.0.0.1}"
        );
        assert_eq!(
            go_time(Time::parse_rfc3339("2016-05-20T02:00:00Z").ok()),
            "2016-05-20 02:00:00 +0000 UTC"
        );
        assert_eq!(go_time(None), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(plain_string_list(&["a b", "c"]), "[a b c]");
        assert_eq!(string_slice::<&str>(&[]), "[]string(nil)");
    }
}

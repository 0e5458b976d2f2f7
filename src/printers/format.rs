//! Small formatting helpers shared by the table printer and `describe`: label sets, label
//! selectors, RFC 1123 dates, the name printer.

use std::fmt::Write as _;

use crate::meta::{LabelSelector, LabelSelectorOperator, Labels};
use crate::time::Time;

/// `labels.FormatLabels`: `k=v` pairs sorted by key, comma separated; `<none>` when empty.
#[must_use]
pub fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "<none>".to_owned();
    }
    let mut keys: Vec<&String> = labels.keys().collect();
    keys.sort();
    let parts: Vec<String> = keys
        .iter()
        .map(|k| format!("{k}={}", labels.get(*k).map_or("", String::as_str)))
        .collect();
    parts.join(",")
}

/// Why a selector cannot be printed (upstream's `LabelSelectorAsSelector` failed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SelectorFormatError(pub String);

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, `k=v` for
/// `matchLabels`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. A nil selector matches nothing and
/// prints as the empty string, as does an empty one.
pub fn selector_string(sel: Option<&LabelSelector>) -> Result<String, SelectorFormatError> {
    let Some(sel) = sel else {
        return Ok(String::new());
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in &sel.match_labels {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in &sel.match_expressions {
        let mut values = e.values.clone();
        values.sort();
        values.dedup();
        let text = match &e.operator {
            LabelSelectorOperator::In => format!("{} in ({})", e.key, values.join(",")),
            LabelSelectorOperator::NotIn => format!("{} notin ({})", e.key, values.join(",")),
            LabelSelectorOperator::Exists => e.key.clone(),
            LabelSelectorOperator::DoesNotExist => format!("!{}", e.key),
            other => {
                return Err(SelectorFormatError(format!(
                    "{} is not a valid label selector operator",
                    crate::validation::field::go_quote(other.as_str())
                )));
            }
        };
        reqs.push((e.key.clone(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    let parts: Vec<String> = reqs.into_iter().map(|(_, t)| t).collect();
    Ok(parts.join(","))
}

/// `metav1.FormatLabelSelector`: the selector string, `<none>` when empty, `<error>` when it
/// does not convert.
#[must_use]
pub fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    match selector_string(sel) {
        Err(_) => "<error>".to_owned(),
        Ok(s) if s.is_empty() => "<none>".to_owned(),
        Ok(s) => s,
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Go's `time.RFC1123Z` layout in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. kubectl prints the
/// client's local zone; this crate has no zone and always prints UTC.
#[must_use]
pub fn rfc1123z(t: Time) -> String {
    let Ok(dt) = time::OffsetDateTime::from_unix_timestamp(t.unix()) else {
        return t.to_string();
    };
    let wd = WEEKDAYS
        .get(usize::from(dt.weekday().number_days_from_monday()))
        .copied()
        .unwrap_or("Mon");
    let mon = MONTHS
        .get(usize::from(u8::from(dt.month())).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    let mut s = String::new();
    let _ = write!(
        s,
        "{wd}, {:02} {mon} {:04} {:02}:{:02}:{:02} +0000",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::LabelSelectorRequirement;

    #[test]
    fn labels_and_selectors() {
        let mut l = Labels::new();
        assert_eq!(format_labels(&l), "<none>");
        l.insert("tier".into(), "web".into());
        l.insert("app".into(), "nginx".into());
        assert_eq!(format_labels(&l), "app=nginx,tier=web");
        let sel = LabelSelector {
            match_labels: l.clone(),
            match_expressions: vec![LabelSelectorRequirement {
                key: "env".into(),
                operator: LabelSelectorOperator::In,
                values: vec!["prod".into(), "dev".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            selector_string(Some(&sel)).unwrap(),
            "app=nginx,env in (dev,prod),tier=web"
        );
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(
            format_label_selector(Some(&LabelSelector::default())),
            "<none>"
        );
    }

    #[test]
    fn rfc1123z_in_utc() {
        let t = Time::parse_rfc3339("2006-01-02T15:04:05Z").unwrap();
        assert_eq!(rfc1123z(t), "Mon, 02 Jan 2006 15:04:05 +0000");
    }
}

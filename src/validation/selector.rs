//! API validation of label maps and `LabelSelector`s
//! (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`).

use crate::meta::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, Labels};
use crate::validation::field::{BadValue, FieldError, FieldPath};
use crate::validation::names;

/// Upstream's `ValidateLabelName`: one `Invalid value` per qualified-name message.
pub(crate) fn validate_label_name(key: &str, path: &FieldPath, out: &mut Vec<FieldError>) {
    if names::qualified_name_ok(key) {
        return;
    }
    for msg in names::is_qualified_name(key) {
        out.push(FieldError::invalid(
            path.clone(),
            BadValue::Str(key.to_owned()),
            msg,
        ));
    }
}

/// Upstream's `ValidateLabels`: every key must be a qualified name and every value a label value.
/// Errors sit on the map's path itself (no key segment), with the bad key or value as the value.
///
/// Upstream walks a Go map, so the order of errors between keys is random there; here keys are
/// visited in the order they were written.
#[must_use]
pub fn validate_labels(labels: &Labels, path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_labels(labels, path, &mut out);
    out
}

pub(crate) fn push_labels(labels: &Labels, path: &FieldPath, out: &mut Vec<FieldError>) {
    for (k, v) in labels {
        validate_label_name(k, path, out);
        if !names::label_value_ok(v) {
            for msg in names::is_valid_label_value(v) {
                out.push(FieldError::invalid(
                    path.clone(),
                    BadValue::Str(v.clone()),
                    msg,
                ));
            }
        }
    }
}

/// Upstream's strict `ValidateLabelSelector` (invalid label values in expressions rejected), as
/// the apps validators call it. `path` is the selector's own path (`spec.selector`).
#[must_use]
pub fn validate_label_selector(sel: &LabelSelector, path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_label_selector(sel, path, &mut out);
    out
}

pub(crate) fn push_label_selector(
    sel: &LabelSelector,
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    push_labels(&sel.match_labels, &path.child("matchLabels"), out);
    let exprs = path.child("matchExpressions");
    for (i, req) in sel.match_expressions.iter().enumerate() {
        push_requirement(req, &exprs.index(i), out);
    }
}

fn push_requirement(req: &LabelSelectorRequirement, path: &FieldPath, out: &mut Vec<FieldError>) {
    match req.operator {
        LabelSelectorOperator::In | LabelSelectorOperator::NotIn => {
            if req.values.is_empty() {
                out.push(FieldError::required(
                    path.child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist => {
            if !req.values.is_empty() {
                out.push(FieldError::forbidden(
                    path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        _ => out.push(FieldError::invalid(
            path.child("operator"),
            BadValue::Str(req.operator.as_str().to_owned()),
            "not a valid selector operator",
        )),
    }
    validate_label_name(&req.key, &path.child("key"), out);
    let values = path.child("values");
    for (j, v) in req.values.iter().enumerate() {
        if !names::label_value_ok(v) {
            for msg in names::is_valid_label_value(v) {
                out.push(FieldError::invalid(
                    values.index(j),
                    BadValue::Str(v.clone()),
                    msg,
                ));
            }
        }
    }
}

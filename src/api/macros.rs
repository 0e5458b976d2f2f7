//! The serde plumbing shared by every API type (crate-internal).
//!
//! Every Kubernetes struct is declared with [`k8s_struct!`], which generates the struct (with an
//! `extra` map for fields this crate does not model), a hand-rolled `Deserialize` that matches
//! field names without allocating, rejects duplicate keys and treats `null` as Go's zero value,
//! and a `Serialize` that omits empty fields as Go's `omitempty` does and writes `extra` back
//! after the modelled fields.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::time::Time;
use crate::validation::field::{FieldPath, PathSegment};
use crate::value::Value;

/// A field name or key that a structurally known type does not define.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownField {
    /// Where the unknown field sits (including its own name).
    pub path: FieldPath,
    /// The field as written (`apiversion`).
    pub field: String,
    /// The closest known field name, when one is close (`apiVersion`).
    pub suggestion: Option<&'static str>,
    /// The type that does not define it (`Pod`, `Container`).
    pub type_name: &'static str,
}

/// The known name closest to `name`: equal ignoring case, or within edit distance 2.
#[must_use]
pub fn suggest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(name)) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX) + cost;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// How one field of a Kubernetes struct is read, written and checked.
pub(crate) trait Field: Sized {
    /// Reads the field; `null` gives Go's zero value.
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    /// True when Go's `omitempty` would leave the field out.
    fn omit(&self) -> bool;
    /// Reports fields below this one that the Kubernetes API does not define.
    fn check_fields(&self, _path: &mut FieldPath, _out: &mut Vec<UnknownField>) {}
    /// True when [`Field::check_fields`] would report something (a cheap walk, no paths).
    fn any_unknown(&self) -> bool {
        false
    }
}

/// Deserializes a field through [`Field::de`].
pub(crate) struct FieldSeed<T>(PhantomData<T>);

impl<T> FieldSeed<T> {
    pub(crate) fn new() -> Self {
        FieldSeed(PhantomData)
    }
}

impl<'de, T: Field> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::de(d)
    }
}

pub(crate) use crate::value::Key;

/// Inserts an unmodelled field, rejecting a key written twice.
pub(crate) fn insert_extra<'de, A: MapAccess<'de>>(
    extra: &mut crate::value::Mapping,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    let v: Value = map.next_value()?;
    // One hash per key: insert, and report the key if it was already there.
    let (i, old) = extra.insert_full(key.into_string(), v);
    if old.is_some() {
        let key = extra.get_index(i).map_or("", |(k, _)| k.as_str());
        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
    }
    Ok(())
}

/// True when some key of `extra` is not a field of the API type.
pub(crate) fn any_extra_unknown(extra: &crate::value::Mapping, known: &[&'static str]) -> bool {
    extra.keys().any(|k| !known.contains(&k.as_str()))
}

/// True when [`Field::check_fields`] would report something; builds no paths.
pub(crate) fn any_unknown<T: Field>(v: &T) -> bool {
    v.any_unknown()
}

/// Reports the keys of `extra` that are not fields of the API type.
pub(crate) fn check_extra(
    extra: &crate::value::Mapping,
    known: &[&'static str],
    type_name: &'static str,
    path: &FieldPath,
    out: &mut Vec<UnknownField>,
) {
    for k in extra.keys() {
        if !known.contains(&k.as_str()) {
            out.push(UnknownField {
                path: path.child(k.clone()),
                field: k.clone(),
                suggestion: suggest(k, known),
                type_name,
            });
        }
    }
}

macro_rules! zero_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Option::<$t>::deserialize(d)?.unwrap_or_default())
            }
            fn omit(&self) -> bool {
                *self == <$t>::default()
            }
        }
    )*};
}
zero_field!(String, bool, i32, i64);

impl Field for Time {
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Time::deserialize(d)
    }
    fn omit(&self) -> bool {
        false
    }
}

impl Field for Value {
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d)
    }
    fn omit(&self) -> bool {
        self.is_empty()
    }
}

impl<T: Field> Field for Option<T> {
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Field> Visitor<'de> for V<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an optional value")
            }
            fn visit_none<E>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::de(d).map(Some)
            }
        }
        d.deserialize_option(V(PhantomData))
    }
    fn omit(&self) -> bool {
        self.is_none()
    }
    fn check_fields(&self, path: &mut FieldPath, out: &mut Vec<UnknownField>) {
        if let Some(v) = self {
            v.check_fields(path, out);
        }
    }
    fn any_unknown(&self) -> bool {
        self.as_ref().is_some_and(Field::any_unknown)
    }
}

impl<T: Field> Field for Vec<T> {
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Field> Visitor<'de> for V<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_none<E>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                d.deserialize_seq(self)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
                while let Some(v) = seq.next_element_seed(FieldSeed::<T>::new())? {
                    out.push(v);
                }
                Ok(out)
            }
        }
        d.deserialize_option(V(PhantomData))
    }
    fn omit(&self) -> bool {
        self.is_empty()
    }
    fn check_fields(&self, path: &mut FieldPath, out: &mut Vec<UnknownField>) {
        for (i, v) in self.iter().enumerate() {
            path.push(PathSegment::Index(i));
            v.check_fields(path, out);
            path.pop();
        }
    }
    fn any_unknown(&self) -> bool {
        self.iter().any(Field::any_unknown)
    }
}

impl Field for IndexMap<String, String> {
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IndexMap<String, String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(IndexMap::new())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(IndexMap::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_map(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = IndexMap::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(k) = map.next_key::<Key<'de>>()? {
                    let v: String = map.next_value()?;
                    // One hash per key: insert, and report the key if it was already there.
                    let (i, old) = out.insert_full(k.into_string(), v);
                    if old.is_some() {
                        let key = out.get_index(i).map_or("", |(k, _)| k.as_str());
                        return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_option(V)
    }
    fn omit(&self) -> bool {
        self.is_empty()
    }
}

/// `true` when a field with the given mode should be left out of the output.
macro_rules! k8s_omit {
    (always; $e:expr) => {
        false
    };
    (; $e:expr) => {
        $crate::api::macros::Field::omit($e)
    };
}

/// Declares a Kubernetes struct with its serde and strict-field plumbing.
///
/// ```text
/// k8s_struct! {
///     /// Docs.
///     pub struct ContainerPort("ContainerPort") {
///         /// Docs.
///         "containerPort" always => container_port: i32,
///         "name" => name: String,
///     }
///     unmodelled: ["hostIP"]
/// }
/// ```
macro_rules! k8s_struct {
    (
        $(#[doc = $sdoc:literal])*
        pub struct $name:ident ($kname:literal $(, $api:literal)?) {
            $(
                $(#[doc = $fdoc:literal])*
                $json:literal $($mode:ident)? => $field:ident : $ty:ty,
            )*
        }
        unmodelled: [$($un:literal),* $(,)?]
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
            /// Fields this crate does not model, in the order they were written.
            pub extra: $crate::value::Mapping,
        }

        impl $name {
            /// Every field name the Kubernetes v1.32 API defines for this type.
            pub const API_FIELDS: &'static [&'static str] =
                &[$({ let _ = $api; "apiVersion" }, "kind",)? $($json,)* $($un,)*];
            $(
                /// The `apiVersion` this crate serves for this kind.
                pub const API_VERSION: &'static str = $api;
                /// The `kind`.
                pub const KIND: &'static str = $kname;
            )?
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[allow(non_camel_case_types, dead_code)]
                #[repr(u8)]
                enum Idx { $($field,)* }
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", $kname, " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        let mut seen: u64 = 0;
                        // Bit 0: `apiVersion` seen, bit 1: `kind` seen (top-level types only).
                        #[allow(unused_mut)]
                        let mut seen_type: u8 = 0;
                        while let Some(key) = map.next_key::<$crate::api::macros::Key<'de>>()? {
                            match key.as_str() {
                                $(
                                    "apiVersion" => {
                                        let _ = $api;
                                        if seen_type & 1 != 0 {
                                            return Err(serde::de::Error::duplicate_field("apiVersion"));
                                        }
                                        seen_type |= 1;
                                        let v: String = map.next_value()?;
                                        if v != $api {
                                            return Err(serde::de::Error::custom(format_args!(
                                                "apiVersion {:?} is not served for kind {}: this crate serves {}",
                                                v, $kname, $api
                                            )));
                                        }
                                    }
                                    "kind" => {
                                        if seen_type & 2 != 0 {
                                            return Err(serde::de::Error::duplicate_field("kind"));
                                        }
                                        seen_type |= 2;
                                        let v: String = map.next_value()?;
                                        if v != $kname {
                                            return Err(serde::de::Error::custom(format_args!(
                                                "kind {:?} does not match {}",
                                                v, $kname
                                            )));
                                        }
                                    }
                                )?
                                $(
                                    $json => {
                                        let bit = 1u64 << (Idx::$field as u8);
                                        if seen & bit != 0 {
                                            return Err(serde::de::Error::duplicate_field($json));
                                        }
                                        seen |= bit;
                                        out.$field = map.next_value_seed(
                                            $crate::api::macros::FieldSeed::<$ty>::new(),
                                        )?;
                                    }
                                )*
                                _ => $crate::api::macros::insert_extra(&mut out.extra, key, &mut map)?,
                            }
                        }
                        let _ = (seen, seen_type);
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                $(
                    m.serialize_entry("apiVersion", $api)?;
                    m.serialize_entry("kind", $kname)?;
                )?
                $(
                    if !$crate::api::macros::k8s_omit!($($mode)?; &self.$field) {
                        m.serialize_entry($json, &self.$field)?;
                    }
                )*
                for (k, v) in &self.extra {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }

        impl $crate::api::macros::Field for $name {
            fn de<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(<Option<$name> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
            }
            fn omit(&self) -> bool {
                *self == $name::default()
            }
            fn check_fields(
                &self,
                path: &mut $crate::validation::field::FieldPath,
                out: &mut Vec<$crate::api::macros::UnknownField>,
            ) {
                $(
                    path.push($crate::validation::field::PathSegment::Field(
                        std::borrow::Cow::Borrowed($json),
                    ));
                    $crate::api::macros::Field::check_fields(&self.$field, path, out);
                    path.pop();
                )*
                $crate::api::macros::check_extra(&self.extra, Self::API_FIELDS, $kname, path, out);
            }
            fn any_unknown(&self) -> bool {
                $( $crate::api::macros::Field::any_unknown(&self.$field) || )*
                    $crate::api::macros::any_extra_unknown(&self.extra, Self::API_FIELDS)
            }
        }
    };
}

/// Declares a string enum spelled as upstream, with an `Other` variant that keeps unknown values
/// verbatim (validation reports them).
macro_rules! string_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $s:literal, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )*
            /// A value this crate does not know, kept verbatim (an empty string is Go's zero value).
            Other(String),
        }

        impl $name {
            /// The values upstream accepts, in upstream's order.
            pub const KNOWN: &'static [&'static str] = &[$($s),*];

            /// The string as written in manifests.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $s, )*
                    $name::Other(s) => s,
                }
            }

            /// Maps a string to its variant (unknown strings become `Other`).
            #[must_use]
            pub fn parse(s: &str) -> Self {
                match s {
                    $( $s => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }

            /// True for the `Other` variant, including the empty string.
            #[must_use]
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }

            /// True for the empty string: the field was not set (Go's zero value).
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.as_str().is_empty()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E>(self, v: &str) -> Result<$name, E> {
                        Ok($name::parse(v))
                    }
                }
                d.deserialize_str(V)
            }
        }

        impl $crate::api::macros::Field for $name {
            fn de<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(<Option<$name> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
            }
            fn omit(&self) -> bool {
                self.as_str().is_empty()
            }
        }
    };
}

pub(crate) use {k8s_omit, k8s_struct, string_enum};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let known = &["apiVersion", "kind", "metadata", "spec", "status"];
        assert_eq!(suggest("apiversion", known), Some("apiVersion"));
        assert_eq!(suggest("metdata", known), Some("metadata"));
        assert_eq!(suggest("specification", known), None);
    }
}

//! A dynamically typed document tree, used to keep every field this crate does not model.
//!
//! Kubernetes objects carry far more than the workload controllers read (volumes, env, probes,
//! resources, affinity, ...). Those fields are kept as [`Value`]s in the `extra` map of the struct
//! they belong to, in the order the user wrote them, and are written back out on encode. They take
//! part in equality and in the pod-template hash.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

/// A mapping with string keys that keeps insertion order.
pub type Mapping = IndexMap<String, Value>;

/// One node of a JSON/YAML document.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `null`, `~` or an empty YAML value.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    Sequence(Vec<Value>),
    /// A mapping; keys are strings (scalar YAML keys are converted to their text).
    Mapping(Mapping),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            // Bitwise equality makes NaN equal to itself, so a round trip compares equal.
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits() || a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Sequence(a), Value::Sequence(b)) => a == b,
            (Value::Mapping(a), Value::Mapping(b)) => {
                // Order-insensitive, as the API server compares objects.
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            _ => false,
        }
    }
}

impl Value {
    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, if this is one.
    #[must_use]
    pub fn as_mapping(&self) -> Option<&Mapping> {
        match self {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    /// The entry `key` of a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_mapping().and_then(|m| m.get(key))
    }

    /// True for `null`, empty strings, empty lists and empty mappings: what Go's `omitempty`
    /// drops and what semantic equality treats as absent.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Sequence(s) => s.is_empty(),
            Value::Mapping(m) => m.is_empty(),
            _ => false,
        }
    }

    /// A short name of the node's type, for error messages.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::UInt(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Sequence(_) => "list",
            Value::Mapping(_) => "mapping",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::UInt(u) => s.serialize_u64(*u),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::Sequence(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Mapping(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::UInt(v), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Sequence(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let v = map.next_value()?;
            // One hash per key: insert, and report the key if it was already there.
            let (i, old) = out.insert_full(key, v);
            if old.is_some() {
                let key = out.get_index(i).map_or("", |(k, _)| k.as_str());
                return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
            }
        }
        Ok(Value::Mapping(out))
    }
}

/// Mapping keys: strings, or scalars converted to their text (`1: x` has key `"1"`).
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(KeyVisitor("a string or scalar mapping key"))
            .map(Key::into_string)
    }
}

/// A mapping key, borrowed from the input when the format allows it; scalar keys become their
/// text (`1: x` has the key `"1"`).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Key<'de> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor("a field name"))
    }
}

/// Reads a [`Key`]; the text says what was expected, for the error on a non-scalar key.
struct KeyVisitor(&'static str);

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E>(self) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed("null")))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Error produced when a typed object is read out of a [`Value`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl de::Error for ValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ValueError(msg.to_string())
    }
}

/// What a [`ValueDeserializer`] needs of its error type: whether unread list items are an
/// error, and how an error notes where in the tree it happened.
pub(crate) trait TreeError: de::Error {
    /// Whether a list the visitor did not read to its end is an error (`invalid_length`).
    const WHOLE_LISTS: bool;
    /// The error, noted as having happened under the mapping key `key` (errors travel up
    /// leaf first).
    fn in_field(self, key: &str) -> Self;
    /// The error, noted as having happened in the list item `index`.
    fn in_item(self, index: usize) -> Self;
}

impl TreeError for ValueError {
    const WHOLE_LISTS: bool = true;
    fn in_field(self, _key: &str) -> Self {
        self
    }
    fn in_item(self, _index: usize) -> Self {
        self
    }
}

/// A borrowed [`Value`] as a serde deserializer with errors of type `E` (strings are borrowed,
/// nothing is copied until the target type needs it).
pub(crate) struct ValueDeserializer<'a, E> {
    value: &'a Value,
    error: PhantomData<fn() -> E>,
}

impl<'a, E> ValueDeserializer<'a, E> {
    /// Reads out of `value`.
    pub(crate) fn new(value: &'a Value) -> Self {
        ValueDeserializer {
            value,
            error: PhantomData,
        }
    }
}

impl<'de, E: TreeError> Deserializer<'de> for ValueDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::UInt(u) => visitor.visit_u64(*u),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(items) => {
                let mut access = SeqDe {
                    iter: items.iter().enumerate(),
                    error: PhantomData::<fn() -> E>,
                };
                let out = visitor.visit_seq(&mut access)?;
                if E::WHOLE_LISTS && access.iter.len() != 0 {
                    Err(de::Error::invalid_length(items.len(), &"fewer elements"))
                } else {
                    Ok(out)
                }
            }
            Value::Mapping(m) => visitor.visit_map(MapDe {
                iter: m.iter(),
                pending: None,
                error: PhantomData::<fn() -> E>,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SeqDe<'de, E> {
    iter: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
    error: PhantomData<fn() -> E>,
}

impl<'de, E: TreeError> SeqAccess<'de> for SeqDe<'de, E> {
    type Error = E;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, E> {
        match self.iter.next() {
            Some((i, v)) => seed
                .deserialize(ValueDeserializer::new(v))
                .map(Some)
                .map_err(|e: E| e.in_item(i)),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapDe<'de, E> {
    iter: indexmap::map::Iter<'de, String, Value>,
    pending: Option<(&'de String, &'de Value)>,
    error: PhantomData<fn() -> E>,
}

impl<'de, E: TreeError> MapAccess<'de> for MapDe<'de, E> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        match self.iter.next() {
            Some((k, v)) => {
                self.pending = Some((k, v));
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k))
                    .map(Some)
                    .map_err(|e: E| e.in_field(k))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        match self.pending.take() {
            Some((k, v)) => seed
                .deserialize(ValueDeserializer::new(v))
                .map_err(|e: E| e.in_field(k)),
            None => Err(de::Error::custom("value requested before key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Reads a typed object out of a borrowed [`Value`] (strings are borrowed, nothing is copied
/// until the target type needs it).
impl<'de> Deserializer<'de> for &'de Value {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        ValueDeserializer::new(self).deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        ValueDeserializer::new(self).deserialize_option(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        ValueDeserializer::new(self).deserialize_newtype_struct(name, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_round_trips_through_json_and_yaml() {
        let text = r#"{"b": 1, "a": [true, null, 1.5, "x"], "c": {"z": {}, "y": []}}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        let keys: Vec<_> = v.as_mapping().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c"]);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(
            json,
            r#"{"b":1,"a":[true,null,1.5,"x"],"c":{"z":{},"y":[]}}"#
        );
        let yaml = serde_yaml::to_string(&v).unwrap();
        let back: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert!(serde_json::from_str::<Value>(r#"{"a":1,"a":2}"#).is_err());
        assert!(serde_yaml::from_str::<Value>("a: 1\na: 2\n").is_err());
    }

    #[test]
    fn scalar_keys_become_strings() {
        let v: Value = serde_yaml::from_str("1: x\ntrue: y\n").unwrap();
        let keys: Vec<_> = v.as_mapping().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["1", "true"]);
    }

    #[test]
    fn typed_values_read_out_of_a_value() {
        let v: Value = serde_json::from_str(r#"{"a": [1, 2], "b": null}"#).unwrap();
        #[derive(Deserialize, Debug, PartialEq)]
        struct T {
            a: Vec<i32>,
            b: Option<String>,
        }
        assert_eq!(
            T::deserialize(&v).unwrap(),
            T {
                a: vec![1, 2],
                b: None
            }
        );
    }
}

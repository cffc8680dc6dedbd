//! How a schema describes a TOML date-time, which JSON has no type for.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A TOML date or date-time, as the schema describes it. Taplo hands its
/// validator a TOML date-time as the text it was written as, so the schema
/// says "a string shaped like a date"; that the value is a real TOML
/// date-time and not a quoted string is for the build (and `check`) to say.
pub struct TomlDatetime;

impl JsonSchema for TomlDatetime {
    fn schema_name() -> Cow<'static, str> {
        "TomlDatetime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A TOML date-time, unquoted: 2017-07-09T20:45:00-04:00 (with its UTC offset), 2017-07-09T20:45:00 (read in site.toml's timezone) or 2017-07-09 (a day).",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?$"
        })
    }
}

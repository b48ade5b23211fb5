//! Local time in a named time zone, through the runtime's Intl (which carries the time
//! zone database, so the Worker does not).

use worker::js_sys::{global, Array, Date, Function, Intl, Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};

/// `new Intl[class](locale, options)`, or `None` when Intl refuses them. Built through
/// `Reflect::construct`, which turns the RangeError Intl throws into an `Err`.
fn intl(class: &str, locale: &str, options: &Object) -> Option<JsValue> {
    let intl = Reflect::get(&global(), &"Intl".into()).ok()?;
    let class: Function = Reflect::get(&intl, &class.into()).ok()?.dyn_into().ok()?;
    let args = Array::of2(&JsValue::from_str(locale), options);
    Reflect::construct(&class, &args).ok()
}

/// An `Intl.DateTimeFormat`, or `None` when the zone or locale is unknown.
fn formatter(
    locale: &str,
    time_zone: &str,
    fields: &[(&str, &str)],
) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    Reflect::set(&options, &"timeZone".into(), &time_zone.into()).ok()?;
    for (key, value) in fields {
        Reflect::set(&options, &(*key).into(), &(*value).into()).ok()?;
    }
    Some(intl("DateTimeFormat", locale, &options)?.unchecked_into())
}

/// Whether `time_zone` names a zone the runtime knows.
pub fn zone_exists(time_zone: &str) -> bool {
    formatter("en-US", time_zone, &[]).is_some()
}

/// The weekday (0 = Monday) and minute of the day at `at_ms` in `time_zone`.
pub fn local_time(time_zone: &str, at_ms: f64) -> Option<(usize, u16)> {
    let format = formatter(
        "en-US",
        time_zone,
        &[
            ("weekday", "short"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ],
    )?;
    let parts = format.format_to_parts(&Date::new(&at_ms.into()));
    let (mut weekday, mut hour, mut minute) = (None, None, None);
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        match kind.as_str() {
            "weekday" => {
                weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                    .iter()
                    .position(|d| *d == value)
            }
            "hour" => hour = value.parse::<u16>().ok(),
            "minute" => minute = value.parse::<u16>().ok(),
            _ => {}
        }
    }
    Some((weekday?, hour? % 24 * 60 + minute?))
}

/// `at_ms` as a weekday and time in the visitor's language and zone ("Monday 9:00 AM"),
/// falling back to English and UTC for what the runtime does not know.
pub fn weekday_and_time(at_ms: f64, lang: &str, time_zone: &str) -> String {
    let fields = [
        ("weekday", "long"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ];
    let format = formatter(lang, time_zone, &fields)
        .or_else(|| formatter("en", time_zone, &fields))
        .or_else(|| formatter("en", "UTC", &fields));
    let Some(format) = format else {
        return String::new();
    };
    format
        .format()
        .call1(&format, &Date::new(&at_ms.into()))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// `count` of `unit` (`minute`, `hour`, `day`) in the visitor's language, as `Intl` words
/// it with that language's plural rules ("2 hours", "2 heures", "ساعتان"); English for a
/// language the runtime does not know.
pub fn units(count: u64, unit: &str, lang: &str) -> Option<String> {
    let format = |locale: &str| -> Option<String> {
        let options = Object::new();
        Reflect::set(&options, &"style".into(), &"unit".into()).ok()?;
        Reflect::set(&options, &"unit".into(), &unit.into()).ok()?;
        Reflect::set(&options, &"unitDisplay".into(), &"long".into()).ok()?;
        let made: Intl::NumberFormat = intl("NumberFormat", locale, &options)?.unchecked_into();
        made.format()
            .call1(&made, &JsValue::from_f64(count as f64))
            .ok()?
            .as_string()
    };
    format(lang).or_else(|| format("en"))
}

//! PBKDF2-SHA256 through the runtime's WebCrypto: native code, so 100 000 rounds cost
//! milliseconds rather than a wasm loop's hundreds.

use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, Pbkdf2Params, SubtleCrypto};
use worker::js_sys::{global, Array, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Error, Result};

fn subtle() -> Result<SubtleCrypto> {
    let crypto = Reflect::get(&global(), &"crypto".into())?;
    let subtle = Reflect::get(&crypto, &"subtle".into())?;
    Ok(subtle.unchecked_into())
}

/// The 32-byte key PBKDF2-SHA256 derives from `password` and `salt`.
pub async fn derive(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>> {
    let subtle = subtle()?;
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key_data = Uint8Array::from(password.as_bytes());
    let key =
        JsFuture::from(subtle.import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)?)
            .await?
            .dyn_into::<CryptoKey>()
            .map_err(|_| Error::RustError("importKey gave no key".into()))?;
    let params = Pbkdf2Params::new(
        "PBKDF2",
        &JsValue::from_str("SHA-256"),
        iterations,
        &Uint8Array::from(salt),
    );
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256)?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

//! Files in a thread: how big and how many, and what a file is. The type is decided by
//! the file's first bytes (its magic number), never by its name or what the browser says:
//! an HTML page renamed `photo.png` is refused, whatever it claims. Images are shown in the
//! thread; everything else is only ever served as a download.

use serde::{Deserialize, Serialize};

use crate::{ApiError, ErrorCode, FileId};

/// The largest file, in bytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The most files one message carries.
pub const MAX_FILES_PER_MESSAGE: usize = 5;
/// The most bytes of files one thread holds.
pub const MAX_THREAD_BYTES: u64 = 100 * 1024 * 1024;
/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A file in a message, as the thread's visitor and agents see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: FileId,
    /// The name it is shown and downloaded under ([`shown_name`]).
    pub name: String,
    /// Its MIME type, as its bytes said.
    pub kind: String,
    pub size: u64,
    /// Where to fetch it, relative to the API's base: a signed link that lasts an hour or
    /// two (`file_link`), given only to the thread's visitor and agents.
    #[serde(default)]
    pub link: String,
}

/// A file's size as the thread shows it beside its name, in tenths of a megabyte ("0.4
/// MB", rounded up so that no file shows as nothing). Whole numbers only: formatting a
/// float would weigh more in the widget's download than the rest of its file code.
pub fn shown_size(bytes: u64) -> String {
    let tenths = bytes.div_ceil(100_000);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// How a file is labelled in the thread: its name and size.
pub fn label(file: &Attachment) -> String {
    format!("{} · {}", file.name, shown_size(file.size))
}

/// The kinds a file picker offers (`accept`): those of [`Kind`].
pub const ACCEPTED: &str = "image/jpeg,image/png,image/gif,image/webp,application/pdf";

/// The kinds of file a thread takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Pdf,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::Webp => "image/webp",
            Kind::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Kind> {
        [Kind::Jpeg, Kind::Png, Kind::Gif, Kind::Webp, Kind::Pdf]
            .into_iter()
            .find(|k| k.mime() == mime)
    }

    /// Shown in the thread as a picture; the others are a named chip to download.
    pub fn is_image(self) -> bool {
        !matches!(self, Kind::Pdf)
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Webp => "webp",
            Kind::Pdf => "pdf",
        }
    }
}

/// What `bytes` (the file's start is enough) are, or the refusal that names what a thread
/// takes.
pub fn kind_of(bytes: &[u8]) -> Result<Kind, ApiError> {
    let kind = infer::get(bytes).and_then(|t| Kind::from_mime(t.mime_type()));
    kind.ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "this kind of file cannot be sent: JPEG, PNG, GIF or WebP images and PDF documents \
             can (the file's contents decide, not its name)",
        )
    })
}

/// Refuses a file of `size` bytes for a message with `files` files already, in a thread
/// holding `thread_bytes`.
pub fn check_room(size: u64, files: usize, thread_bytes: u64) -> Result<(), ApiError> {
    let too_large = |why: String| Err(ApiError::new(ErrorCode::PayloadTooLarge, why));
    if size == 0 {
        return Err(ApiError::invalid("file", "is empty"));
    }
    if size > MAX_FILE_BYTES {
        return too_large(format!(
            "a file may be {} MB at most",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    if files >= MAX_FILES_PER_MESSAGE {
        return too_large(format!(
            "a message may carry {MAX_FILES_PER_MESSAGE} files at most"
        ));
    }
    if thread_bytes.saturating_add(size) > MAX_THREAD_BYTES {
        return too_large(format!(
            "this conversation holds {} MB of files at most",
            MAX_THREAD_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

/// The name a file is shown and downloaded under: no folders, no control characters or
/// quotes (it goes into a `Content-Disposition` header), at most [`MAX_NAME_CHARS`], and
/// ending with the extension of what it really is.
pub fn shown_name(claimed: &str, kind: Kind) -> String {
    let base = claimed.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !"\"\\;".contains(*c))
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    let stem = match clean.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => clean,
    };
    let stem = if stem.is_empty() { "file" } else { stem };
    let room = MAX_NAME_CHARS - kind.extension().len() - 1;
    let stem: String = stem.chars().take(room).collect();
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";
    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3";

    #[test]
    fn the_bytes_decide_not_the_name() {
        assert_eq!(kind_of(PNG).unwrap(), Kind::Png);
        assert_eq!(kind_of(JPEG).unwrap(), Kind::Jpeg);
        assert_eq!(kind_of(PDF).unwrap(), Kind::Pdf);
        assert!(kind_of(PNG).unwrap().is_image() && !Kind::Pdf.is_image());
        // A page renamed photo.png, a script, a zip, nothing at all: refused.
        for forged in [
            &b"<!doctype html><script>alert(1)</script>"[..],
            b"#!/bin/sh\nrm -rf /",
            b"PK\x03\x04\x14\0",
            b"",
        ] {
            let refused = kind_of(forged).unwrap_err();
            assert_eq!(refused.code, ErrorCode::UnsupportedMediaType);
        }
    }

    #[test]
    fn sizes_show_in_tenths_of_a_megabyte_never_as_nothing() {
        assert_eq!(shown_size(1), "0.1 MB");
        assert_eq!(shown_size(250_000), "0.3 MB");
        assert_eq!(shown_size(2_400_000), "2.4 MB");
        assert_eq!(shown_size(MAX_FILE_BYTES), "10.5 MB");
    }

    #[test]
    fn the_picker_offers_what_is_taken() {
        let kinds: Vec<&str> = ACCEPTED.split(',').collect();
        assert!(kinds.iter().all(|k| Kind::from_mime(k).is_some()));
        for kind in [Kind::Jpeg, Kind::Png, Kind::Gif, Kind::Webp, Kind::Pdf] {
            assert!(kinds.contains(&kind.mime()), "{kind:?}");
        }
    }

    #[test]
    fn room_is_limited_per_file_message_and_thread() {
        assert!(check_room(1, 0, 0).is_ok());
        assert!(check_room(MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE - 1, 0).is_ok());
        let code = |r: Result<(), ApiError>| r.unwrap_err().code;
        assert_eq!(
            code(check_room(MAX_FILE_BYTES + 1, 0, 0)),
            ErrorCode::PayloadTooLarge
        );
        assert_eq!(
            code(check_room(1, MAX_FILES_PER_MESSAGE, 0)),
            ErrorCode::PayloadTooLarge
        );
        assert_eq!(
            code(check_room(2, 0, MAX_THREAD_BYTES - 1)),
            ErrorCode::PayloadTooLarge
        );
        assert_eq!(code(check_room(0, 0, 0)), ErrorCode::InvalidField);
    }

    #[test]
    fn names_are_safe_in_a_header_and_say_what_the_file_is() {
        assert_eq!(shown_name("stove.JPG", Kind::Jpeg), "stove.jpg");
        assert_eq!(
            shown_name("C:\\Users\\me\\invoice.pdf", Kind::Pdf),
            "invoice.pdf"
        );
        assert_eq!(shown_name("../../etc/passwd", Kind::Png), "passwd.png");
        assert_eq!(shown_name("page.html", Kind::Png), "page.png");
        assert_eq!(shown_name("a\"b;c\r\n.png", Kind::Png), "abc.png");
        assert_eq!(shown_name("", Kind::Gif), "file.gif");
        assert_eq!(shown_name(".hidden", Kind::Webp), "hidden.webp");
        let long = shown_name(&"x".repeat(300), Kind::Pdf);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        assert!(long.ends_with(".pdf"));
    }
}

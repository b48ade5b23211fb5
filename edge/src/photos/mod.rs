//! What a photo says about the person who took it, taken out before it is stored: where
//! (GPS), with what (camera, phone, serial numbers), when, by whom, and the comments,
//! XMP and IPTC blocks editors add. Only how to turn the picture is kept (EXIF
//! orientation), so a phone's upright photo stays upright.
//!
//! The picture itself is not decoded or re-encoded: `img-parts` splits the file into its
//! segments (JPEG) or chunks (PNG, WebP) and the metadata ones are left out, which costs
//! a copy of the bytes (see `npm run bench -- upload`) and never changes a pixel. GIFs
//! are kept as they are (their rare comment blocks included), and so are PDFs, documents
//! sent on purpose.

use confab_protocol::attachments::Kind;
use confab_protocol::{ApiError, ErrorCode};
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::{WebP, CHUNK_XMP};
use img_parts::{Bytes, ImageEXIF};

/// `bytes` (already known to be of `kind`) without their metadata.
pub fn strip(kind: Kind, bytes: Vec<u8>) -> Result<Vec<u8>, ApiError> {
    let unreadable = |_| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "this picture could not be read: save it again, or send a screenshot of it",
        )
    };
    let bytes = Bytes::from(bytes);
    let stripped = match kind {
        Kind::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(unreadable)?;
            let turn = jpeg.exif().and_then(|exif| orientation(&exif));
            // XMP (APP1, as EXIF), IPTC (APP13), comments, and the index of the other
            // pictures the file carries (APP2 "MPF"), which go below.
            jpeg.segments_mut().retain(|segment| {
                let marker = segment.marker();
                let mpf = marker == markers::APP2 && segment.contents().starts_with(b"MPF\0");
                !(mpf || [markers::APP1, markers::APP13, markers::COM].contains(&marker))
            });
            jpeg.set_exif(turn.map(orientation_only));
            let head: usize = 2 + jpeg
                .segments()
                .iter()
                .take_while(|s| s.marker() != markers::SOS)
                .map(|s| s.len())
                .sum::<usize>();
            main_picture(jpeg.encoder().bytes(), head)
        }
        Kind::Png => {
            let mut png = Png::from_bytes(bytes).map_err(unreadable)?;
            let turn = png.exif().and_then(|exif| orientation(&exif));
            for text in [*b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
                png.remove_chunks_by_type(text);
            }
            png.set_exif(turn.map(orientation_only));
            png.encoder().bytes()
        }
        Kind::Webp => {
            let mut webp = WebP::from_bytes(bytes).map_err(unreadable)?;
            let turn = webp.exif().and_then(|exif| orientation(&exif));
            webp.remove_chunks_by_id(CHUNK_XMP);
            // Setting the EXIF also sets the header's flags for what is left.
            webp.set_exif(turn.map(orientation_only));
            webp.encoder().bytes()
        }
        Kind::Gif | Kind::Pdf => bytes,
    };
    Ok(stripped.to_vec())
}

/// The file up to the end (EOI) of its main picture, its scans starting at `head`: what
/// phones append after it goes (the other pictures of an MPF file, each with its own
/// EXIF; a motion photo's video, which can hold the place too). Inside a scan a 0xFF is
/// always followed by 0x00, a restart marker or the next segment, never by EOI.
fn main_picture(bytes: Bytes, head: usize) -> Bytes {
    let end = bytes
        .get(head..)
        .and_then(|scans| scans.windows(2).position(|w| w == [0xFF, markers::EOI]))
        .map_or(bytes.len(), |at| head + at + 2);
    bytes.slice(..end)
}

/// The EXIF orientation (tag 0x0112 of the first directory), unless it is upright.
fn orientation(exif: &[u8]) -> Option<u16> {
    // The TIFF header may still carry the "Exif\0\0" that JPEG puts before it.
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let big = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let directory = u32_at(4)? as usize;
    let entries = u16_at(directory)? as usize;
    (0..entries.min(256))
        .map(|n| directory + 2 + n * 12)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
        .filter(|turn| (2..=8).contains(turn))
}

/// An EXIF block that says only how to turn the picture.
fn orientation_only(turn: u16) -> Bytes {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&turn.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    Bytes::from(tiff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixtures' camera, place, comment and author (their GPS position sits beside
    /// the camera in the EXIF block, which goes whole).
    const SECRETS: [&[u8]; 4] = [
        b"SecretPhone",
        b"SecretCity",
        b"SecretComment",
        b"SecretAuthor",
    ];

    fn check(kind: Kind, tagged: &[u8]) -> Vec<u8> {
        assert!(
            SECRETS.iter().any(|s| contains(tagged, s)),
            "the fixture is tagged"
        );
        let stripped = strip(kind, tagged.to_vec()).unwrap();
        for secret in SECRETS {
            assert!(!contains(&stripped, secret), "{kind:?} keeps {secret:?}");
        }
        assert!(stripped.len() < tagged.len());
        stripped
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_phone_photo_loses_where_and_with_what_and_stays_upright() {
        let stripped = check(Kind::Jpeg, include_bytes!("tagged.jpg"));
        let jpeg = Jpeg::from_bytes(Bytes::from(stripped)).unwrap();
        assert_eq!(jpeg.exif().and_then(|e| orientation(&e)), Some(6));
        assert_eq!(jpeg.dimensions(), Some((16, 8)));
        // The picture's own segments are as they were.
        let original = Jpeg::from_bytes(Bytes::from_static(include_bytes!("tagged.jpg"))).unwrap();
        let scan = |j: &Jpeg| {
            j.segments()
                .iter()
                .filter(|s| s.marker() == markers::SOS || s.marker() == markers::DQT)
                .map(|s| s.clone().encoder().bytes())
                .collect::<Vec<_>>()
        };
        assert_eq!(scan(&jpeg), scan(&original));
    }

    #[test]
    fn what_a_phone_appends_after_the_picture_goes() {
        // A second picture (with its own camera and place) after the first, as in an MPF
        // file, and a motion photo's video after that.
        let one = include_bytes!("tagged.jpg");
        let appended = [&one[..], &one[..], b"\0\0\0\x18ftypmp42SecretCity"].concat();
        let stripped = check(Kind::Jpeg, &appended);
        assert_eq!(stripped, strip(Kind::Jpeg, one.to_vec()).unwrap());
        assert!(stripped.ends_with(&[0xFF, markers::EOI]));
    }

    #[test]
    fn pngs_and_webps_lose_their_texts_and_tags() {
        let png = Png::from_bytes(Bytes::from(check(Kind::Png, include_bytes!("tagged.png"))));
        assert_eq!(png.unwrap().exif().and_then(|e| orientation(&e)), Some(6));
        let webp = WebP::from_bytes(Bytes::from(check(
            Kind::Webp,
            include_bytes!("tagged.webp"),
        )));
        let webp = webp.unwrap();
        assert_eq!(webp.exif().and_then(|e| orientation(&e)), Some(6));
        assert!(!webp.has_chunk(CHUNK_XMP));
    }

    #[test]
    fn an_upright_photo_keeps_no_exif_and_a_broken_one_is_refused() {
        let upright = orientation_only(1);
        assert_eq!(orientation(&upright), None);
        assert_eq!(orientation(&orientation_only(8)), Some(8));
        let cut = &include_bytes!("tagged.jpg")[..40];
        assert!(strip(Kind::Jpeg, cut.to_vec()).is_err());
        assert_eq!(strip(Kind::Pdf, b"%PDF-1.4".to_vec()).unwrap(), b"%PDF-1.4");
    }
}

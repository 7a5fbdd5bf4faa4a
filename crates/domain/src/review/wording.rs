//! Wording: how names, channels, topics and kinds read inside a sentence, the document
//! header, and small text helpers. No figure is decided here.

use crate::codes::*;
use crate::dates;
use crate::fmt;
use crate::kinds::Kind;
use crate::report::Indicator;
use crate::ward::{NameFrom, Ward};

use super::document::{DocHeader, Paragraph, Span};
use super::draft::ReviewDraft;

/// `Phường Ngọc Thụy` → `phường Ngọc Thụy`, as the name reads inside a sentence.
pub(super) fn ward_in_text(ward: &Ward) -> String {
    for prefix in ["Phường ", "Xã ", "Thị trấn "] {
        if let Some(rest) = ward.name.strip_prefix(prefix) {
            return format!("{}{rest}", prefix.to_lowercase());
        }
    }
    ward.name.clone()
}

/// The district's Party committee as named in text: `Quận Long Biên` → `Quận ủy`, with
/// its full name `Quận ủy Long Biên`.
pub(super) fn district_committee(district: Option<&str>) -> (String, Option<String>) {
    let Some(d) = district.map(str::trim).filter(|d| !d.is_empty()) else {
        return ("cấp ủy cấp trên".into(), None);
    };
    for (prefix, committee) in [
        ("Quận ", "Quận ủy"),
        ("Huyện ", "Huyện ủy"),
        ("Thị xã ", "Thị ủy"),
        ("Thành phố ", "Thành ủy"),
    ] {
        if let Some(rest) = d.strip_prefix(prefix) {
            return (committee.into(), Some(format!("{committee} {rest}")));
        }
    }
    ("cấp ủy cấp trên".into(), Some(format!("Cấp ủy {d}")))
}

/// The place a superior Party body is named after, as a district is written:
/// `ĐẢNG BỘ THÀNH PHỐ HÀ NỘI` → `Thành phố Hà Nội` (for wards with no district, since
/// 1/7/2025 directly under the city).
pub(super) fn body_place(body: Option<&str>) -> Option<String> {
    let rest = body?.trim().strip_prefix("ĐẢNG BỘ ")?.to_lowercase();
    let units = ["thành phố ", "quận ", "huyện ", "thị xã ", "tỉnh "];
    let (unit, name) = units
        .iter()
        .find_map(|u| rest.strip_prefix(u).map(|n| (*u, n)))
        .unwrap_or(("", rest.as_str()));
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let name = name
        .split_whitespace()
        .map(cap)
        .collect::<Vec<_>>()
        .join(" ");
    Some(format!("{}{name}", cap(unit)))
}

pub(super) fn header(draft: &ReviewDraft, ward: &Ward, names: Option<&NameFrom>) -> DocHeader {
    let district = names
        .and_then(|n| n.district.as_deref())
        .or(ward.district.as_deref());
    let superior_body = names
        .and_then(|n| n.superior_body.clone())
        .or_else(|| district.map(|d| format!("ĐẢNG BỘ {}", d.to_uppercase())));
    let place = draft
        .place
        .clone()
        .unwrap_or_else(|| ward.place_name().to_string());
    let number = match &draft.number {
        Some(n) => format!("Số {n}"),
        // A draft awaiting its number leaves room for it, as typed drafts do.
        None => "Số \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}-BC/ĐU".to_string(),
    };
    DocHeader {
        superior_body,
        issuer: format!("ĐẢNG ỦY {}", ward.name.to_uppercase()),
        number,
        party: "ĐẢNG CỘNG SẢN VIỆT NAM".into(),
        place_date: format!("{place}, {}", dates::formal(draft.date)),
    }
}

/// How channels read after "được N lượt …".
pub(super) fn channel_phrase(c: Channel) -> &'static str {
    match c {
        Channel::Radio => "trên hệ thống Đài truyền thanh",
        Channel::Posting => "niêm yết công khai",
        Channel::Portal => "trên Cổng thông tin điện tử",
        Channel::Meeting => "thông qua hội nghị",
        Channel::GroupLeader => "thông qua tổ trưởng dân phố",
        Channel::Written => "bằng văn bản",
    }
}

pub(super) fn topic_phrase(t: Topic) -> &'static str {
    match t {
        Topic::Qcdc => "về thực hiện QCDC",
        Topic::LandCertificate => "về cấp giấy chứng nhận QSDĐ",
        Topic::SiteClearance => "về bồi thường, GPMB",
        Topic::Ordinance34 => "về Pháp lệnh 34",
        Topic::Decree04 => "về Nghị định 04/2015/NĐ-CP",
        Topic::Law2022 => "về Luật Thực hiện dân chủ ở cơ sở năm 2022",
        Topic::Budget => "về dự toán, quyết toán ngân sách phường",
        Topic::GroupFinance => "về thu, chi quỹ tổ dân phố",
        Topic::FundDrive => "về vận động các loại quỹ",
        Topic::AdminProcedure => "về thủ tục hành chính tại bộ phận một cửa",
        Topic::Election => "về bầu cử tổ trưởng, tổ phó tổ dân phố",
        Topic::Convention => "về quy ước tổ dân phố",
        Topic::Planning => "về quy hoạch",
        Topic::Other => "về các nội dung khác",
    }
}

pub(super) fn conference_phrase(k: ConferenceKind) -> &'static str {
    match k {
        ConferenceKind::Dissemination => "hội nghị phổ biến, tuyên truyền",
        ConferenceKind::Training => "hội nghị tập huấn, bồi dưỡng",
        ConferenceKind::Review => "hội nghị sơ kết, tổng kết",
        ConferenceKind::ResidentsMeeting => "hội nghị nhân dân ở tổ dân phố",
        ConferenceKind::Briefing => "hội nghị giao ban",
        ConferenceKind::Other => "hội nghị khác",
    }
}

pub(super) fn document_phrase(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::EstablishCommittee => "Quyết định thành lập Ban chỉ đạo",
        DocumentKind::ConsolidateCommittee => "Quyết định kiện toàn Ban chỉ đạo",
        // The indicator counts issuing and amending; reviews name the amendments.
        DocumentKind::CommitteeRegulation => "Quyết định sửa đổi Quy chế hoạt động",
        DocumentKind::Plan => "kế hoạch",
        DocumentKind::Guidance => "hướng dẫn",
        DocumentKind::Report => "báo cáo",
        DocumentKind::Other => "văn bản khác",
    }
}

pub(super) fn recipient_phrase(r: RecipientKind) -> &'static str {
    match r {
        RecipientKind::Individual => "cá nhân",
        RecipientKind::PartyCell => "chi bộ",
        RecipientKind::Collective => "tập thể",
    }
}

/// The family an estimate footnote speaks of. Opinions have no source of their own:
/// they are as documented as the dialogue they were raised in.
pub(super) fn estimate_family(i: &Indicator) -> Option<(Kind, &'static str)> {
    match i.family() {
        Kind::Conferences => Some((Kind::Conferences, "về hội nghị")),
        Kind::Publicity => Some((Kind::Publicity, "về tin, bài, thông báo")),
        Kind::Dialogues | Kind::Opinions => Some((Kind::Dialogues, "về tiếp xúc, đối thoại")),
        Kind::Documents => Some((Kind::Documents, "về văn bản")),
        Kind::Inspections => Some((Kind::Inspections, "về kiểm tra, giám sát")),
        Kind::Commendations => Some((Kind::Commendations, "về khen thưởng")),
        _ => None,
    }
}

/// `23` or `5,3`: one decimal, none when it is zero, as reports print changes.
pub(super) fn short_decimal(x: f64) -> String {
    let s = fmt::decimal(x, 1);
    s.strip_suffix(",0").map(str::to_string).unwrap_or(s)
}

/// Free text split into paragraphs at line breaks, blank lines dropped.
pub(super) fn prose(text: &str) -> Vec<Paragraph> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Paragraph {
            spans: vec![Span::Text(l.to_string())],
        })
        .collect()
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

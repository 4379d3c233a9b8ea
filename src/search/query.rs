//! What an operator types in the search box: free text and filters
//! (`kind:famiglia stato:idonea servizio:S-003 comune:dalmine`), in Italian
//! or English.

use super::fold::fold;
use crate::model::comune::normalize;
use crate::model::*;

pub use crate::api::HitKind;

/// A parsed query. `text` is folded; filters narrow what it is matched against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub kind: Option<HitKind>,
    /// English status tokens the `stato:` value names (of families or needs).
    pub statuses: Option<Vec<&'static str>>,
    pub service: Option<ServiceCode>,
    pub comuni: Option<Vec<ComuneCode>>,
}

impl Query {
    pub fn has_filters(&self) -> bool {
        self.kind.is_some() || self.statuses.is_some() || self.service.is_some() || self.comuni.is_some()
    }

    /// Same filters, and text that goes on from `earlier`'s: its hits can only shrink.
    pub fn narrows(&self, earlier: &Query) -> bool {
        !earlier.text.is_empty()
            && self.text.starts_with(&earlier.text)
            && self.kind == earlier.kind
            && self.statuses == earlier.statuses
            && self.service == earlier.service
            && self.comuni == earlier.comuni
    }
}

pub use crate::model::limits::MAX_QUERY;

/// Reads a query; a filter it does not know, or a value that names nothing,
/// is a problem on the field `query`.
pub fn parse(input: &str, comuni: &Comuni) -> Result<Query, Problem> {
    // A query is typed text like any other: control characters are refused,
    // not stripped, so what was searched is what the operator sees.
    let mut checked = crate::model::Problems::new();
    checked.limit_text(Field::Query, input, MAX_QUERY);
    if let Some(p) = checked.into_vec().into_iter().next() {
        return Err(p);
    }
    let mut q = Query::default();
    let mut words = Vec::new();
    for word in input.split_whitespace() {
        let Some((name, value)) = word.split_once(':') else {
            words.push(word);
            continue;
        };
        let bad = || {
            Problem::new(Field::Query, Reason::BadFilterValue { filter: name.to_string(), value: value.to_string() })
        };
        match normalize(name).as_str() {
            "kind" | "tipo" => q.kind = Some(HitKind::parse(value).ok_or_else(bad)?),
            "stato" | "status" => {
                let mut tokens: Vec<&'static str> = Vec::new();
                tokens.extend(FamilyStatus::parse(value).map(|s| s.token()));
                tokens.extend(NeedStatus::parse(value).map(|s| s.token()));
                if tokens.is_empty() {
                    return Err(bad());
                }
                q.statuses = Some(tokens);
            }
            "servizio" | "service" => q.service = Some(ServiceCode::parse(value).ok_or_else(bad)?),
            "comune" => {
                let wanted = normalize(&value.replace(['_', '+'], " "));
                let found: Vec<ComuneCode> = comuni
                    .iter()
                    .filter(|c| normalize(&c.name) == wanted || c.code.to_string() == wanted)
                    .map(|c| c.code)
                    .collect();
                if found.is_empty() {
                    return Err(Problem::new(Field::Query, Reason::UnknownComune { code: value.to_string() }));
                }
                q.comuni = Some(found);
            }
            _ => return Err(Problem::new(Field::Query, Reason::UnknownFilter { name: name.to_string() })),
        }
    }
    q.text = fold(&words.join(" "));
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_in_italian_or_english_with_free_text() {
        let comuni = Comuni::embedded();
        let q = parse("kind:famiglia  stato:idonea servizio:S-003 Rossì", comuni).unwrap();
        assert_eq!(q.text, "rossi");
        assert_eq!(q.kind, Some(HitKind::Family));
        assert_eq!(q.statuses, Some(vec!["approved"]));
        assert_eq!(q.service, Some(ServiceCode(3)));
        let osio = parse("comune:osio_sotto", comuni).unwrap();
        assert_eq!(osio.comuni.map(|c| c.len()), Some(1));
        assert_eq!(parse("colore:rosso", comuni).unwrap_err().field, "query");
        assert!(parse("stato:felice", comuni).is_err());
        assert!(parse("comune:atlantide", comuni).is_err());
    }

    #[test]
    fn a_longer_query_with_the_same_filters_narrows_the_last_one() {
        let comuni = Comuni::embedded();
        let a = parse("ros kind:famiglia", comuni).unwrap();
        let b = parse("ross kind:famiglia", comuni).unwrap();
        assert!(b.narrows(&a));
        assert!(!a.narrows(&b));
        assert!(!parse("ross", comuni).unwrap().narrows(&a), "filters changed");
    }
}

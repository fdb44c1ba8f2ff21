//! Rules applied to the statistical tagger's mentions, from the word lists: a place or organisation
//! in front of a person's name is split off, a list of names (`Google dan Facebook`) is cut into
//! its names, and a one-word person the lists know as something else is retyped.

use super::features::{TokenInfo, F_INIT_CAP};
use super::gazetteer::{any_bit, begin_bit, inside_bit, unit_bit, List};
use super::mention::EntityType;
use super::tokens::lower_hash;

/// The hashes of the words that join the names of a list (see [`coordinated_names`]).
pub(super) fn coordinators() -> [u64; 6] {
    ["dan", "serta", "atau", "and", "&", ","].map(lower_hash)
}

/// A person's name does not start with a country, place or organisation from the word lists:
/// `[Kazakhstan Kassym Jomart-Tokayev]` (after `Presiden`) is a place and a person. Returns the number
/// of leading tokens to split off and their type.
pub(super) fn leading_name(infos: &[TokenInfo], kind: EntityType) -> Option<(usize, EntityType)> {
    if kind != EntityType::Per || infos.len() < 2 {
        return None;
    }
    let lists = [
        (List::Country, EntityType::Loc),
        (List::Place, EntityType::Loc),
        (List::Organisation, EntityType::Org),
    ];
    for (list, head) in lists {
        let len = if infos[0].gazetteer & unit_bit(list) != 0 {
            1
        } else if infos[0].gazetteer & begin_bit(list) != 0 {
            1 + infos[1..].iter().take_while(|x| x.gazetteer & inside_bit(list) != 0).count()
        } else {
            continue;
        };
        let rest_is_name = infos[len.min(infos.len())..].first().is_some_and(|x| x.flags & F_INIT_CAP != 0);
        if len < infos.len() && rest_is_name && infos[len].gazetteer & any_bit(List::FirstName) != 0
            || len < infos.len() && rest_is_name && infos[len..].len() >= 2
        {
            return Some((len, head));
        }
    }
    None
}

/// The type of a one-word "person" that the word lists know as an organisation or a place and not as
/// a first name (`Kremlin`, `Samsung` opening a sentence); other mentions keep `kind`.
pub(super) fn listed_kind(infos: &[TokenInfo], kind: EntityType) -> EntityType {
    let [info] = infos else { return kind };
    if kind != EntityType::Per || info.gazetteer & any_bit(List::FirstName) != 0 {
        return kind;
    }
    if info.gazetteer & unit_bit(List::Organisation) != 0 {
        EntityType::Org
    } else if info.gazetteer & (unit_bit(List::Country) | unit_bit(List::Place)) != 0 {
        EntityType::Loc
    } else {
        kind
    }
}

/// Where a mention that lists names from the word lists (`[Google dan Facebook]`) should be cut: the
/// positions of the joining words, when every part is a whole entry and the mention itself is not
/// (`Bosnia dan Herzegovina` stays whole).
pub(super) fn coordinated_names(infos: &[TokenInfo], coordinators: &[u64]) -> Vec<usize> {
    let cuts: Vec<usize> =
        (1..infos.len().saturating_sub(1)).filter(|&i| coordinators.contains(&infos[i].lower)).collect();
    if cuts.is_empty() {
        return cuts;
    }
    let lists = [List::Country, List::Place, List::Organisation];
    let whole = |part: &[TokenInfo]| {
        lists.iter().any(|&list| match part {
            [] => false,
            [one] => one.gazetteer & unit_bit(list) != 0,
            [first, rest @ ..] => {
                first.gazetteer & begin_bit(list) != 0
                    && rest.iter().all(|x| x.gazetteer & inside_bit(list) != 0)
            }
        })
    };
    if whole(infos) {
        return Vec::new();
    }
    let mut from = 0;
    for &cut in cuts.iter().chain([&infos.len()]) {
        if !whole(&infos[from..cut]) {
            return Vec::new();
        }
        from = cut + 1;
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::Features;
    use crate::ner::tokens::NerTokens;

    #[test]
    fn word_lists_split_and_retype_mentions() {
        let infos = |text: &str| {
            let mut features = Features::default();
            features.featurize(NerTokens::new(text).map(|t| &text[t.start..t.end]), 16);
            features.infos
        };
        let coordinators = ["dan", ","].map(lower_hash);
        assert_eq!(coordinated_names(&infos("Google dan Facebook"), &coordinators), [1]);
        assert_eq!(coordinated_names(&infos("Rusia , Belarus dan Armenia"), &coordinators), [1, 3]);
        assert!(coordinated_names(&infos("Bosnia dan Herzegovina"), &coordinators).is_empty());
        assert!(coordinated_names(&infos("Kementerian Kelautan dan Perikanan"), &coordinators).is_empty());
        assert_eq!(listed_kind(&infos("Kremlin"), EntityType::Per), EntityType::Org);
        assert_eq!(listed_kind(&infos("Kazakhstan"), EntityType::Per), EntityType::Loc);
        assert_eq!(listed_kind(&infos("Bambang"), EntityType::Per), EntityType::Per);
        assert_eq!(
            leading_name(&infos("Kazakhstan Kassym Jomart-Tokayev"), EntityType::Per),
            Some((1, EntityType::Loc))
        );
        assert_eq!(leading_name(&infos("Joko Widodo"), EntityType::Per), None);
    }
}

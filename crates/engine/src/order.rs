//! Stable sorting through one compiled sort routine.
//!
//! The standard library's `sort_by` is compiled anew for every element type and comparison: about
//! 4 KB of WebAssembly each, and the explorer had ten of them (40 KB, a fifth of the first page
//! load's margin). These functions sort a list of positions with one routine whose comparison is a
//! function pointer, then move the items into place. They are for the cold paths (menus, facets,
//! panels, small lists); hot loops over many items keep `sort_unstable` on plain numbers.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, keeping equal items in their order (a stable sort).
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` by the key `key` gives, keeping items with equal keys in their order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `(key, id)` pairs by key, highest first, then by id: how results and facets are ranked, with
/// one compiled sort routine for both.
pub fn rank_descending(items: &mut [(u64, u32)]) {
    items.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// Sorts numbers (article, term or entity numbers) ascending, through [`rank_descending`]'s routine:
/// one sort compiled instead of two (3 KB of WebAssembly).
pub fn sort_ids(ids: &mut [u32]) {
    let mut pairs: Vec<(u64, u32)> = ids.iter().map(|&id| (0, id)).collect();
    rank_descending(&mut pairs);
    for (slot, (_, id)) in ids.iter_mut().zip(pairs) {
        *slot = id;
    }
}

/// The `k` highest `(key, id)` pairs, in the order [`rank_descending`] gives them. For a small `k`
/// one pass keeps a short sorted list (most items are not better than its last and cost one
/// comparison), much quicker than ranking everything; a large `k` ranks everything.
pub fn top_descending(items: &[(u64, u32)], k: usize) -> Vec<(u64, u32)> {
    if k > 64 {
        let mut all = items.to_vec();
        rank_descending(&mut all);
        all.truncate(k);
        return all;
    }
    let better = |a: &(u64, u32), b: &(u64, u32)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
    let mut top: Vec<(u64, u32)> = Vec::with_capacity(k + 1);
    for item in items {
        if top.len() == k && top.last().is_none_or(|last| !better(item, last)) {
            continue;
        }
        let at = top.iter().position(|t| better(item, t)).unwrap_or(top.len());
        top.insert(at, *item);
        top.truncate(k);
    }
    top
}

/// The positions `0..n` in sorted order; ties by position, which makes the result stable.
#[inline(never)]
fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    order
}

/// Rearranges `items` so that item `i` becomes what was at `order[i]` (`order` is a permutation),
/// following each cycle of the permutation with swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        done[start] = true;
        let mut at = start;
        loop {
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            done[from] = true;
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut words = vec![("b", 2), ("a", 1), ("c", 2), ("d", 1), ("e", 0)];
        sort_by_key(&mut words, |w| w.1);
        assert_eq!(words, vec![("e", 0), ("a", 1), ("d", 1), ("b", 2), ("c", 2)]);
    }

    proptest! {
        #[test]
        fn the_top_k_are_the_first_k_of_the_full_ranking(
            items in proptest::collection::vec((0u64..20, 0u32..1000), 0..100),
            k in 0usize..120,
        ) {
            let mut full = items.clone();
            rank_descending(&mut full);
            let top = top_descending(&items, k);
            prop_assert_eq!(&top[..], &full[..k.min(full.len())]);
        }

        #[test]
        fn ids_sort_like_the_standard_sort(items in proptest::collection::vec(any::<u32>(), 0..200)) {
            let mut ours = items.clone();
            let mut std_sorted = items;
            sort_ids(&mut ours);
            std_sorted.sort_unstable();
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn same_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            let mut std_sorted = items;
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            std_sorted.sort_by_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn strings_sort_like_the_standard_sort(items in proptest::collection::vec("[a-c]{0,3}", 0..50)) {
            let mut ours = items.clone();
            let mut std_sorted = items;
            sort_by_key(&mut ours, |s| s.clone());
            std_sorted.sort();
            prop_assert_eq!(ours, std_sorted);
        }
    }
}

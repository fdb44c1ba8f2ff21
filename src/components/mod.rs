//! One component per file, each with its own `Props`.

mod entity_panel;
mod facets;
mod filters;
mod header;
mod marked;
mod reader;
mod results;
mod search_bar;

pub use entity_panel::{EntityPanel, EntityPanelProps};
pub use facets::{Facets, FacetsProps};
pub use filters::{ActiveFilters, ActiveFiltersProps};
pub use header::{Header, HeaderProps};
pub use marked::{EntityMarks, Marked};
pub use reader::{Reader, ReaderProps};
pub use results::{ResultList, ResultListProps};
pub use search_bar::{SearchBar, SearchBarProps};

//! The follow view (`F`, `:follow`): the selected connection's conversation over the whole
//! width, both directions interleaved in time order, the way a person reads a protocol.
//!
//! Each turn (one `recv`, or for our own sends one `send`) opens with a header in its
//! direction's colour and marker (`▶ client→server`, `◀ server→client`), its time and its
//! offset in that direction; its bytes follow as the Data panel's text rows (escaped, ending
//! after `\n`, wrapped by width), each byte once, each row with its offset. A proxied pair's
//! two legs are one conversation ([`conversation`]). `s` shows one direction's `send` calls
//! beside the other end's `recv` calls of the same bytes ([`columns`]), where both ends are
//! sockets of this session.
//!
//! Virtualised like the Data panel: a position is a line named by a stream offset
//! ([`crate::tui::app::FollowTop`]) and a page is found from it alone ([`doc`]).

mod columns;
mod conversation;
mod doc;
mod draw;
mod moves;

pub use columns::{columns_scrolled, side_by_side_start};
pub use conversation::{Conversation, Ends, Leg, ends};
pub use moves::{Scrolling, other_side, page_start, pinned, reveal, row_step, scrolled};

use super::data::{offset_digits, text_width};
use crate::tui::app::{FollowLine as Line, FollowTop, Side};
use crate::tui::render_context::RenderContext;
use crate::tui::text::repertoire;
use crate::tui::{App, glyphs, layout};
use doc::FollowDoc;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

/// The conversation as laid out in an area.
struct Page<'a> {
    doc: FollowDoc<'a>,
    /// Where the conversation's lines go (under the header).
    area: Rect,
    digits: usize,
}

/// The follow view's block on a screen of `screen` (between the status bar and the footer).
#[must_use]
pub fn block_area(screen: Rect, app: &App) -> Option<Rect> {
    let areas = layout::areas(screen, app.arrangement())?;
    let top = areas.status.bottom();
    Some(Rect::new(screen.x, top, screen.width, areas.footer.y.saturating_sub(top)))
}

/// The inside of the block on the App's screen.
fn content_area(app: &App) -> Option<Rect> {
    let (width, height) = app.size();
    block_area(Rect::new(0, 0, width, height), app).map(|area| Block::bordered().inner(area))
}

/// The selected connection's conversation laid out in `area` (the inside of the block).
fn page_in(app: &App, area: Rect) -> Option<Page<'_>> {
    let conversation = Conversation::of(app.session(), app.selected()?)?;
    let total = |side| conversation.stream(side).total();
    let digits = offset_digits(total(Side::Up).max(total(Side::Down)));
    let width = text_width(usize::from(area.width), digits);
    let doc = FollowDoc::new(conversation, width, repertoire(app.glyphs()));
    // Above the turns: what the conversation is, and (a second line) what retention dropped.
    let dropped =
        [Side::Up, Side::Down].iter().any(|&side| conversation.stream(side).dropped() > 0);
    let header: u16 = if dropped { 2 } else { 1 };
    let header = header.min(area.height);
    let area = Rect { y: area.y + header, height: area.height - header, ..area };
    Some(Page { doc, area, digits })
}

/// The conversation as the App's screen shows it.
fn app_page(app: &App) -> Option<Page<'_>> {
    page_in(app, content_area(app)?)
}

impl Page<'_> {
    fn rows(&self) -> usize {
        usize::from(self.area.height)
    }

    /// The lines on screen when scrolled to `top`: a full page wherever the conversation has
    /// one (a position near the end shows the last page).
    fn lines(&self, top: FollowTop) -> Vec<Line> {
        let rows = self.rows();
        let (Some(first), Some(last)) = (self.doc.first(), self.doc.last()) else {
            return Vec::new();
        };
        let top = match top {
            FollowTop::Follow => return self.doc.lines_to(last, rows),
            FollowTop::Start => first,
            FollowTop::At(line) => self.doc.normalize(line).unwrap_or(first),
        };
        let page: Vec<Line> = self.doc.lines_from(top).take(rows).collect();
        if page.len() < rows && page.first() != Some(&first) {
            return self.doc.lines_to(last, rows);
        }
        page
    }
}

/// Draws the follow view over the panels' area of `screen`.
pub fn render(frame: &mut ratatui::Frame, screen: Rect, app: &App, cx: &RenderContext) {
    let Some(area) = block_area(screen, app) else { return };
    draw::render(frame, area, app, cx);
}

/// The glyph set's arrow between the ends' names.
fn arrow(cx: &RenderContext) -> &'static str {
    match cx.glyphs {
        glyphs::Glyphs::Unicode => "→",
        glyphs::Glyphs::Ascii => "->",
    }
}

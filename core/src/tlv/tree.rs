//! A parsed TLV tree with byte-exact spans, built with an explicit stack.
//!
//! Nodes live in one vector in document (pre-)order; each node records where its subtree
//! ends, so children and siblings are found without pointers or recursion. Building never
//! recurses on the input, and the depth limit is checked before descending, so a
//! 100 000-deep nesting costs one pass over at most `max_depth` headers.

use std::fmt;

use super::{ParseOptions, Tag, Tlv, TlvError, TlvErrorKind, TlvIter};

#[derive(Debug, Clone, Copy)]
struct NodeData<'a> {
    tlv: Tlv<'a>,
    depth: u8,
    /// Index one past the last node of this node's subtree.
    end: usize,
}

/// A parsed TLV tree borrowing the input bytes.
#[derive(Debug, Clone)]
pub struct TlvTree<'a> {
    input: &'a [u8],
    nodes: Vec<NodeData<'a>>,
}

/// A view of one object in a [`TlvTree`].
#[derive(Clone, Copy)]
pub struct Node<'t, 'a> {
    tree: &'t TlvTree<'a>,
    index: usize,
}

/// Parses `input` into a tree: constructed objects are parsed recursively (iteratively, in
/// fact) down to `options.max_depth`.
pub fn parse_tree(input: &[u8], options: ParseOptions) -> Result<TlvTree<'_>, TlvError> {
    TlvTree::parse(input, options)
}

impl<'a> TlvTree<'a> {
    /// See [`parse_tree`].
    pub fn parse(input: &'a [u8], options: ParseOptions) -> Result<Self, TlvError> {
        let mut nodes: Vec<NodeData<'a>> = Vec::new();
        // Each frame: the iterator over a template's value and the template's node index.
        let mut stack: Vec<(TlvIter<'a>, Option<usize>)> =
            vec![(TlvIter::new(input, options), None)];
        while let Some((iter, parent)) = stack.last_mut() {
            let parent = *parent;
            match iter.next() {
                None => {
                    stack.pop();
                    let first_child = parent.map_or(0, |p| p + 1);
                    if options.reject_duplicates {
                        check_duplicates(&nodes, first_child, parent, |i| path_of(&nodes, i))?;
                    }
                    if let Some(p) = parent {
                        nodes[p].end = nodes.len();
                    }
                }
                Some(Err(e)) => {
                    let parent_path = parent.map(|p| path_of(&nodes, p)).unwrap_or_default();
                    return Err(e.under(&parent_path));
                }
                Some(Ok(tlv)) => {
                    let depth = stack.len();
                    if depth > options.max_depth as usize {
                        let parent_path = parent.map(|p| path_of(&nodes, p)).unwrap_or_default();
                        let e = TlvError::new(
                            tlv.offset(),
                            tlv.tag().to_string(),
                            TlvErrorKind::TooDeep {
                                max: options.max_depth,
                            },
                        );
                        return Err(e.under(&parent_path));
                    }
                    let index = nodes.len();
                    nodes.push(NodeData {
                        tlv,
                        depth: depth as u8,
                        end: index + 1,
                    });
                    if tlv.is_constructed() {
                        stack.push((tlv.children(options), Some(index)));
                    }
                }
            }
        }
        Ok(TlvTree { input, nodes })
    }

    /// The bytes the tree was parsed from.
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// Total number of objects at all levels.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no objects (empty or all-padding input).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The top-level objects.
    pub fn roots(&self) -> Siblings<'_, 'a> {
        Siblings {
            tree: self,
            next: 0,
            end: self.nodes.len(),
        }
    }

    /// Every object in document order (parents before children).
    pub fn iter(&self) -> impl Iterator<Item = Node<'_, 'a>> + '_ {
        (0..self.nodes.len()).map(move |index| Node { tree: self, index })
    }

    /// First object with `tag` anywhere in the tree, in document order.
    pub fn find(&self, tag: Tag) -> Option<Node<'_, 'a>> {
        self.iter().find(|n| n.tag() == tag)
    }

    /// Looks up a path of tags such as `"6F/A5/BF0C/61/50"` (`.` also separates). At each
    /// level the first matching child is taken.
    pub fn find_path(&self, path: &str) -> Option<Node<'_, 'a>> {
        let mut level = self.roots();
        let mut found = None;
        for part in path.split(['/', '.']).filter(|p| !p.is_empty()) {
            let tag = Tag::parse_hex(part).ok()?;
            let node = level.find(|n| n.tag() == tag)?;
            level = node.children();
            found = Some(node);
        }
        found
    }
}

fn path_of(nodes: &[NodeData<'_>], index: usize) -> String {
    // Walk back to find ancestors: the nearest earlier node with smaller depth whose subtree
    // (still open or closed) contains `index`.
    let mut parts = vec![nodes[index].tlv.tag()];
    let mut depth = nodes[index].depth;
    for n in nodes[..index].iter().rev() {
        if n.depth < depth {
            parts.push(n.tlv.tag());
            depth = n.depth;
        }
    }
    parts
        .iter()
        .rev()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn check_duplicates(
    nodes: &[NodeData<'_>],
    first_child: usize,
    parent: Option<usize>,
    path: impl Fn(usize) -> String,
) -> Result<(), TlvError> {
    let mut seen: Vec<(Tag, usize)> = Vec::new();
    let mut i = first_child;
    let end = nodes.len();
    while i < end {
        if parent.is_some_and(|p| nodes[i].depth <= nodes[p].depth) {
            break;
        }
        seen.push((nodes[i].tlv.tag(), i));
        i = nodes[i].end.max(i + 1);
    }
    seen.sort_by_key(|&(t, i)| (t, i));
    if let Some(w) = seen.windows(2).find(|w| w[0].0 == w[1].0) {
        let dup = w[1].1;
        return Err(TlvError::new(
            nodes[dup].tlv.offset(),
            path(dup),
            TlvErrorKind::Duplicate,
        ));
    }
    Ok(())
}

/// Iterator over sibling nodes.
#[derive(Debug, Clone)]
pub struct Siblings<'t, 'a> {
    tree: &'t TlvTree<'a>,
    next: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Siblings<'t, 'a> {
    type Item = Node<'t, 'a>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let index = self.next;
        self.next = self.tree.nodes[index].end;
        Some(Node {
            tree: self.tree,
            index,
        })
    }
}

impl<'t, 'a> Node<'t, 'a> {
    fn data(&self) -> &'t NodeData<'a> {
        &self.tree.nodes[self.index]
    }

    /// The object as a borrowed [`Tlv`].
    pub fn tlv(&self) -> Tlv<'a> {
        self.data().tlv
    }

    /// The tag.
    pub fn tag(&self) -> Tag {
        self.data().tlv.tag()
    }

    /// Byte offset of the tag in the input.
    pub fn offset(&self) -> usize {
        self.data().tlv.offset()
    }

    /// The exact encoded bytes of the object.
    pub fn raw(&self) -> &'a [u8] {
        self.data().tlv.raw()
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        self.data().tlv.value()
    }

    /// Nesting depth (top level = 1).
    pub fn depth(&self) -> u8 {
        self.data().depth
    }

    /// The child objects (empty for primitives).
    pub fn children(&self) -> Siblings<'t, 'a> {
        Siblings {
            tree: self.tree,
            next: self.index + 1,
            end: self.data().end,
        }
    }

    /// First direct child with `tag`.
    pub fn child(&self, tag: Tag) -> Option<Node<'t, 'a>> {
        self.children().find(|n| n.tag() == tag)
    }

    /// Tag path from the top, e.g. `6F/A5/BF0C`.
    pub fn path(&self) -> String {
        path_of(&self.tree.nodes, self.index)
    }
}

impl fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("path", &self.path())
            .field("tlv", &self.tlv())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fci_path_lookup() {
        // 6F { 84 A0000003330101, A5 { 50 "UnionPay", BF0C { 9F4D 0B0A } } }
        let hex = "6F1D8407A0000003330101A5125008556E696F6E506179BF0C059F4D020B0A";
        let data = crate::hex::decode(hex).unwrap();
        let tree = parse_tree(&data, ParseOptions::strict()).unwrap();
        let label = tree.find_path("6F/A5/50").unwrap();
        assert_eq!(label.value(), b"UnionPay");
        assert_eq!(label.path(), "6F/A5/50");
        let log = tree.find_path("6F.A5.BF0C.9F4D").unwrap();
        assert_eq!(log.value(), [0x0B, 0x0A]);
        assert_eq!(log.offset(), 26);
        assert!(tree.find_path("6F/A5/9F4D").is_none());
        assert_eq!(tree.roots().count(), 1);
        assert_eq!(tree.len(), 6);
    }
}

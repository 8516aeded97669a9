//! An owned TLV tree: plain data for JSON, bindings and building from a description.

use serde::{Deserialize, Serialize};

use super::{Node, Tag, TlvTree, encode_tlv};

/// One TLV object as owned data: the tag, where it was found, and either a primitive value
/// or children.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlvObject {
    /// The tag (hex text in JSON).
    pub tag: Tag,
    /// Byte offset in the parsed input (0 for objects built by hand).
    #[serde(default)]
    pub offset: usize,
    /// The value of a primitive object (hex text in JSON); empty for constructed ones.
    #[serde(with = "super::hex_serde", default)]
    pub value: Vec<u8>,
    /// Children of a constructed object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TlvObject>,
}

impl std::fmt::Debug for TlvObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlvObject")
            .field("tag", &self.tag)
            .field("offset", &self.offset)
            .field("value", &super::mask_value_hex(self.tag, &self.value))
            .field("children", &self.children)
            .finish()
    }
}

impl TlvObject {
    /// A primitive object.
    pub fn primitive(tag: Tag, value: impl Into<Vec<u8>>) -> Self {
        TlvObject {
            tag,
            offset: 0,
            value: value.into(),
            children: Vec::new(),
        }
    }

    /// A constructed object.
    pub fn constructed(tag: Tag, children: Vec<TlvObject>) -> Self {
        TlvObject {
            tag,
            offset: 0,
            value: Vec::new(),
            children,
        }
    }

    /// The owned copy of one tree node and its subtree (values of constructed objects are
    /// carried by their children).
    pub fn from_node(node: Node<'_, '_>) -> Self {
        // Depth is bounded by ParseOptions::max_depth (a u8), so recursion here is bounded.
        let children: Vec<TlvObject> = node.children().map(TlvObject::from_node).collect();
        TlvObject {
            tag: node.tag(),
            offset: node.offset(),
            value: if node.tag().is_constructed() {
                Vec::new()
            } else {
                node.value().to_vec()
            },
            children,
        }
    }

    /// Encodes this object with minimal lengths.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        if self.tag.is_constructed() {
            let mut inner = Vec::new();
            for c in &self.children {
                c.encode_into(&mut inner);
            }
            encode_tlv(self.tag, &inner, out);
        } else {
            encode_tlv(self.tag, &self.value, out);
        }
    }
}

impl TlvTree<'_> {
    /// The tree as owned objects (top level).
    pub fn to_objects(&self) -> Vec<TlvObject> {
        self.roots().map(TlvObject::from_node).collect()
    }
}

/// Encodes a list of objects with minimal lengths (the canonical form of a parsed tree).
pub fn encode_objects(objects: &[TlvObject]) -> Vec<u8> {
    let mut out = Vec::new();
    for o in objects {
        o.encode_into(&mut out);
    }
    out
}

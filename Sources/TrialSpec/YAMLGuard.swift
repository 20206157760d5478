// YAMLGuard.swift — checks made on a file's text before Yams sees it.
//
// Yams composes a document recursively and, to find duplicate keys, hashes every mapping key
// as a whole tree. Two hostile inputs follow from that:
// - nesting: libyaml (vendored by Yams) stops at 1,000 levels with a located error, which keeps
//   the recursive composer far from the end of the stack;
// - aliases: an alias is the anchored node itself, so ten aliases of ten aliases … ("billion
//   laughs") compose cheaply but expand to 10⁹ nodes for anything that walks them — Yams'
//   duplicate-key hash when the alias is a key, and any description of the node.
// SynthArm's format has no use for aliases (and none for `<<` merge keys), so a file that uses
// one is an error at the alias, found by the scan below. Anchors alone (`&name`) are harmless.
// The file's size is bounded too: a protocol or scenario is a few kilobytes.

enum YAMLGuard {
  /// The largest protocol or scenario file read, in bytes.
  static let maxBytes = 1 << 20

  /// The 1-based line and column of the first alias (`*name` where a YAML node starts),
  /// outside quoted scalars, block scalars and comments; nil when there is none.
  ///
  /// A conservative scan of the text, not a YAML parser: `*` counts only where a node can
  /// start (after indentation, `- `, `? `, `: `, and `[`, `{`, `,` in flow context), so
  /// `age * 2 > 100` in a plain scalar is not an alias.
  static func firstAlias(in text: String) -> (line: Int, column: Int)? {
    var inDouble = false
    var inSingle = false
    var flowDepth = 0
    var blockScalarIndent: Int?  // indentation of the line that opened a `|` or `>` scalar
    for (lineIndex, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let chars = Array(lineText.unicodeScalars)
      let indent = chars.prefix { $0 == " " }.count
      if let parent = blockScalarIndent {
        if indent > parent || chars.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
        blockScalarIndent = nil
      }
      var atNodeStart = !inDouble && !inSingle
      var i = 0
      while i < chars.count {
        let c = chars[i]
        let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
        let nextIsBlank = next == nil || next == " " || next == "\t" || next == "\r"
        if inDouble {
          if c == "\\" {
            i += 2
            continue
          }
          if c == "\"" { inDouble = false }
          i += 1
          continue
        }
        if inSingle {
          if c == "'" {
            if next == "'" {
              i += 2
              continue
            } else {
              inSingle = false
            }
          }
          i += 1
          continue
        }
        if c == "#" && (i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t") { break }  // comment
        if atNodeStart {
          switch c {
          case " ", "\t", "\r":
            i += 1
            continue
          case "*":
            return (lineIndex + 1, i + 1)
          case "&", "!":  // an anchor or a tag precedes the node: skip its name
            while i < chars.count && chars[i] != " " && chars[i] != "\t" { i += 1 }
            continue
          case "\"":
            inDouble = true
            atNodeStart = false
          case "'":
            inSingle = true
            atNodeStart = false
          case "-" where nextIsBlank, "?" where nextIsBlank:
            i += 1
            continue
          case "|" where flowDepth == 0, ">" where flowDepth == 0:
            blockScalarIndent = indent
            i = chars.count
            continue
          case "[", "{":
            flowDepth += 1
            i += 1
            continue
          default:
            atNodeStart = false
          }
          i += 1
          continue
        }
        switch c {
        case ":" where nextIsBlank || flowDepth > 0:
          atNodeStart = true
        case "," where flowDepth > 0:
          atNodeStart = true
        case "[" where flowDepth > 0, "{" where flowDepth > 0:
          flowDepth += 1
          atNodeStart = true
        case "]" where flowDepth > 0, "}" where flowDepth > 0:
          flowDepth -= 1
        default:
          break
        }
        i += 1
      }
    }
    return nil
  }
}

#include "store/s3/s3_xml.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

namespace rawfeed::store::s3 {

namespace {

// Where the open tag starting at `lt` ends ('>' index), or npos when `lt` does not open `tag`.
std::size_t openTagEnd(std::string_view xml, std::size_t lt, std::string_view tag) {
  const std::size_t after = lt + 1 + tag.size();
  if (xml.compare(lt + 1, tag.size(), tag) != 0 || after >= xml.size())
    return std::string_view::npos;
  const char next = xml[after];
  if (next != '>' && next != '/' && next != ' ' && next != '\t' && next != '\r' && next != '\n') {
    return std::string_view::npos;
  }
  return xml.find('>', after);
}

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool decodeNumeric(std::string_view ref, std::string& out) {
  int base = 10;
  if (!ref.empty() && (ref.front() == 'x' || ref.front() == 'X')) {
    base = 16;
    ref.remove_prefix(1);
  }
  std::uint32_t cp = 0;
  const auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), cp, base);
  if (ref.empty() || ec != std::errc() || end != ref.data() + ref.size() || cp > 0x10FFFF) {
    return false;
  }
  appendUtf8(out, cp);
  return true;
}

}  // namespace

std::vector<std::string_view> xmlElements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> found;
  std::string close = "</";
  close += tag;
  close += '>';
  std::size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    const std::size_t gt = openTagEnd(xml, pos, tag);
    if (gt == std::string_view::npos) {
      ++pos;
      continue;
    }
    if (xml[gt - 1] == '/') {  // <tag/>
      found.emplace_back(xml.substr(gt + 1, 0));
      pos = gt + 1;
      continue;
    }
    const std::size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos)
      break;
    found.push_back(xml.substr(gt + 1, end - gt - 1));
    pos = end + close.size();
  }
  return found;
}

std::optional<std::string> xmlText(std::string_view xml, std::string_view tag) {
  const auto elements = xmlElements(xml, tag);
  if (elements.empty())
    return std::nullopt;
  return xmlDecode(elements.front());
}

std::optional<std::string> xmlDecode(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kNamed = {
      {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos)
      return std::nullopt;
    const std::string_view ref = text.substr(i + 1, semi - i - 1);
    bool decoded = false;
    if (!ref.empty() && ref.front() == '#') {
      decoded = decodeNumeric(ref.substr(1), out);
    } else {
      for (const auto& [name, ch] : kNamed) {
        if (ref == name) {
          out += ch;
          decoded = true;
          break;
        }
      }
    }
    if (!decoded)
      return std::nullopt;
    i = semi;
  }
  return out;
}

}  // namespace rawfeed::store::s3

#include "server/http_framing.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/ascii.h"

namespace rawfeed::server {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxChunkLine = 4096;
constexpr std::size_t kMaxChunkSizeDigits = 13;  // 2^52: no body of ours comes near it

// The lines of a complete head before its blank line, without their CRLFs.
std::vector<std::string_view> headLines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const std::size_t end = head.find(kCrlf);
    if (end == std::string_view::npos || end == 0) {
      break;
    }
    lines.push_back(head.substr(0, end));
    head.remove_prefix(end + kCrlf.size());
  }
  return lines;
}

std::string_view fieldName(std::string_view line) {
  return line.substr(0, line.find(':'));
}

bool allDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

core::Result<std::optional<std::uint64_t>> contentLengthOf(const MessageHead& head) {
  std::optional<std::uint64_t> length;
  for (std::string_view value : head.values("Content-Length")) {
    std::uint64_t parsed = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (!allDigits(value) || error != std::errc() || end != value.data() + value.size()) {
      return core::invalidInput(fmt::format("Content-Length '{}' is not a byte count", value));
    }
    if (length && *length != parsed) {
      return core::invalidInput("Content-Length is given twice with different values");
    }
    length = parsed;
  }
  return length;
}

}  // namespace

std::optional<std::size_t> headLength(std::string_view bytes) {
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return end + 4;
}

std::vector<std::string_view> MessageHead::values(std::string_view name) const {
  std::vector<std::string_view> found;
  for (const HeadField& field : fields) {
    if (core::equalsNoCase(field.name, name)) {
      found.emplace_back(field.value);
    }
  }
  return found;
}

bool MessageHead::listsToken(std::string_view name, std::string_view token) const {
  for (std::string_view value : values(name)) {
    while (!value.empty()) {
      const std::size_t comma = value.find(',');
      if (core::equalsNoCase(core::trimAscii(value.substr(0, comma)), token)) {
        return true;
      }
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
  }
  return false;
}

core::Result<MessageHead> splitHead(std::string_view head) {
  const std::vector<std::string_view> lines = headLines(head);
  MessageHead split;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    // A lone CR or LF ends a line for some parsers and not for others.
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      return core::invalidInput(fmt::format("line {} of the head holds a bare CR or LF", i + 1));
    }
    if (i == 0) {
      split.start_line = std::string(line);
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      return core::invalidInput(fmt::format("line {} of the head is a folded continuation", i + 1));
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || name.empty() ||
        name.find_first_of(" \t") != std::string_view::npos) {
      return core::invalidInput(
          fmt::format("line {} of the head is not a 'Name: value' field", i + 1));
    }
    split.fields.push_back(
        {std::string(name), std::string(core::trimAscii(line.substr(colon + 1)))});
  }
  return split;
}

std::string_view RequestFraming::path() const {
  const std::string_view text = target;
  return text.substr(0, text.find('?'));
}

core::Result<RequestFraming> requestFramingOf(const MessageHead& head) {
  RequestFraming framing;
  const std::string_view line = head.start_line;
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second != std::string_view::npos && line.find(' ', second + 1) == std::string_view::npos) {
    framing.method = std::string(line.substr(0, first));
    framing.target = std::string(line.substr(first + 1, second - first - 1));
    framing.version = std::string(line.substr(second + 1));
  }

  auto length = contentLengthOf(head);
  if (!length.ok()) {
    return length.error();
  }
  const std::vector<std::string_view> encodings = head.values("Transfer-Encoding");
  if (!encodings.empty()) {
    if (encodings.size() != 1 || !core::equalsNoCase(encodings[0], "chunked")) {
      return core::invalidInput("the only Transfer-Encoding accepted is 'chunked'");
    }
    if (length.value()) {
      return core::invalidInput("Content-Length and Transfer-Encoding must not both be given");
    }
    framing.body = BodyFraming::kChunked;
  } else if (length.value() && *length.value() > 0) {
    framing.body = BodyFraming::kLength;
    framing.content_length = *length.value();
  }

  for (std::string_view expect : head.values("Expect")) {
    framing.expects_continue =
        framing.expects_continue || core::equalsNoCase(expect, "100-continue");
  }
  if (framing.version == "HTTP/1.1") {
    framing.keep_alive = !head.listsToken("Connection", "close");
  } else if (framing.version == "HTTP/1.0") {
    framing.keep_alive =
        head.listsToken("Connection", "keep-alive") && !head.listsToken("Connection", "close");
  }
  return framing;
}

std::string rewriteHead(std::string_view head, std::initializer_list<std::string_view> drop,
                        std::string_view add) {
  std::string rewritten;
  rewritten.reserve(head.size() + add.size());
  const std::vector<std::string_view> lines = headLines(head);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view name = fieldName(lines[i]);
    const bool dropped = i > 0 && std::any_of(drop.begin(), drop.end(), [&](std::string_view d) {
                           return core::equalsNoCase(name, d);
                         });
    if (!dropped) {
      rewritten.append(lines[i]);
      rewritten.append(kCrlf);
    }
  }
  rewritten.append(add);
  rewritten.append(kCrlf);
  return rewritten;
}

std::string encodeAsOneChunk(std::string_view data) {
  std::string body;
  if (!data.empty()) {
    body = fmt::format("{:x}\r\n", data.size());
    body.append(data);
    body.append(kCrlf);
  }
  body.append("0\r\n\r\n");
  return body;
}

std::size_t ChunkedBodyDecoder::feed(std::string_view input) {
  std::size_t taken = 0;
  while (taken < input.size() && state_ == State::kMore) {
    switch (part_) {
      case Part::kSizeLine:
      case Part::kTrailer: {
        const std::size_t newline = input.find('\n', taken);
        const std::size_t end = newline == std::string_view::npos ? input.size() : newline + 1;
        line_.append(input.substr(taken, end - taken));
        taken = end;
        if (line_.size() > kMaxChunkLine) {
          state_ = State::kMalformed;
          break;
        }
        if (newline == std::string_view::npos) {
          break;
        }
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          state_ = State::kMalformed;
          break;
        }
        line_.resize(line_.size() - 2);
        if (part_ == Part::kSizeLine) {
          if (!endSizeLine()) {
            state_ = State::kMalformed;
          }
        } else if (line_.empty()) {
          state_ = State::kDone;
        }
        line_.clear();
        break;
      }
      case Part::kData: {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, input.size() - taken));
        const std::size_t room = keep_ > kept_.size() ? keep_ - kept_.size() : 0;
        kept_.append(input.substr(taken, std::min(n, room)));
        decoded_size_ += n;
        chunk_left_ -= n;
        taken += n;
        if (chunk_left_ == 0) {
          part_ = Part::kDataEnd;
        }
        break;
      }
      case Part::kDataEnd: {
        line_ += input[taken++];
        if (line_ == "\r\n") {
          line_.clear();
          part_ = Part::kSizeLine;
        } else if (line_ != "\r") {
          state_ = State::kMalformed;
        }
        break;
      }
    }
  }
  return taken;
}

bool ChunkedBodyDecoder::endSizeLine() {
  const std::string_view digits =
      core::trimAscii(std::string_view(line_).substr(0, line_.find(';')));
  const bool hex = std::all_of(digits.begin(), digits.end(), [](char c) {
    return (c >= '0' && c <= '9') || (core::asciiLower(c) >= 'a' && core::asciiLower(c) <= 'f');
  });
  if (digits.empty() || !hex || digits.size() > kMaxChunkSizeDigits) {
    return false;
  }
  std::uint64_t size = 0;
  (void)std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
  if (size == 0) {
    part_ = Part::kTrailer;
  } else {
    part_ = Part::kData;
    chunk_left_ = size;
  }
  return true;
}

}  // namespace rawfeed::server

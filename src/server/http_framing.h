#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

// Just enough HTTP/1.1 syntax to tell where a request ends, so that the connection front can hold
// a request until it is whole without tying up a worker thread. What a request means is still
// cpp-httplib's to parse; these functions only frame it. Pure and thread-compatible.
namespace rawfeed::server {

// The length of the head at the start of `bytes`, up to and including the blank line that ends
// it ("\r\n\r\n"), or nullopt while that line has not arrived.
std::optional<std::size_t> headLength(std::string_view bytes);

struct HeadField {
  std::string name;
  std::string value;  // without surrounding whitespace
};

// A request or response head split into its first line and its fields.
struct MessageHead {
  std::string start_line;  // "GET /x HTTP/1.1" or "HTTP/1.1 200 OK"
  std::vector<HeadField> fields;

  // Values of the fields called `name` (case-insensitive), in order.
  std::vector<std::string_view> values(std::string_view name) const;
  // Whether a comma-separated field such as Connection lists `token` (case-insensitive).
  bool listsToken(std::string_view name, std::string_view token) const;
};

// Splits a complete head (as measured by headLength). kInvalidInput, naming the line, when a
// field line has no colon, whitespace before its colon, or is an obsolete folded continuation:
// each could be read differently by the front and by the parser behind it.
core::Result<MessageHead> splitHead(std::string_view head);

enum class BodyFraming { kNone, kLength, kChunked };

// What the front needs to know of a request to find its end and to answer for it.
struct RequestFraming {
  std::string method;   // empty when the request line is not "METHOD TARGET VERSION"
  std::string target;   // as sent
  std::string version;  // "HTTP/1.1", ...
  BodyFraming body = BodyFraming::kNone;
  std::uint64_t content_length = 0;  // for kLength
  bool expects_continue = false;     // "Expect: 100-continue"
  bool keep_alive = false;           // the client may send another request afterwards

  std::string_view path() const;  // the target without its query
};

// kInvalidInput when the body's extent is ambiguous: a Content-Length that is not a number or
// is given twice with different values, a Transfer-Encoding other than "chunked", or both
// headers at once (the classic request-smuggling shapes). An odd request line is not an error
// here: the parser behind the front answers it with 400.
core::Result<RequestFraming> requestFramingOf(const MessageHead& head);

// `head` (complete, as measured by headLength) with every field named in `drop` removed and
// `add` — whole "Name: value\r\n" lines — inserted before the blank line.
std::string rewriteHead(std::string_view head, std::initializer_list<std::string_view> drop,
                        std::string_view add = {});

// A chunked body as one chunk (none when empty) and the last-chunk, without trailers.
std::string encodeAsOneChunk(std::string_view data);

// Finds the end of a chunked body fed to it in pieces, keeping at most `keep` bytes of the
// decoded data and counting the rest. Extensions and trailers are read and dropped; a size line
// or trailer line over 4 KiB, a size that is not hexadecimal or over 2^52, or a chunk not
// followed by CRLF is malformed.
class ChunkedBodyDecoder {
 public:
  enum class State { kMore, kDone, kMalformed };

  explicit ChunkedBodyDecoder(std::size_t keep) : keep_(keep) {}

  // Reads from `input` until the body ends or `input` runs out; returns how many bytes it took
  // (bytes after the end of the body are left for the next request).
  std::size_t feed(std::string_view input);

  State state() const { return state_; }
  const std::string& kept() const { return kept_; }
  std::uint64_t decodedSize() const { return decoded_size_; }  // kept or not

 private:
  enum class Part { kSizeLine, kData, kDataEnd, kTrailer };

  bool endSizeLine();

  std::size_t keep_;
  State state_ = State::kMore;
  Part part_ = Part::kSizeLine;
  std::string line_;  // the size or trailer line read so far
  std::uint64_t chunk_left_ = 0;
  std::uint64_t decoded_size_ = 0;
  std::string kept_;
};

}  // namespace rawfeed::server

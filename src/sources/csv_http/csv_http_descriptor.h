#pragma once

#include "sources/source_descriptor.h"

namespace rawfeed::sources::csv_http {

// data_source = "csv_http": daily bars as CSV over HTTP (CsvHttpSource). Interval 1d only; a
// backfill split into windows of at most 10 years, with no limit on how far back; symbols
// trimmed and upper-cased, 1-20 characters of A-Z 0-9 . - ^ = _, without Yahoo's notation
// mapping.
const SourceDescriptor& csvHttpDescriptor();

}  // namespace rawfeed::sources::csv_http

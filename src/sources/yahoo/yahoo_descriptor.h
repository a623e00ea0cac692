#pragma once

#include "sources/source_descriptor.h"

namespace rawfeed::sources::yahoo {

// data_source = "yahoo_finance": Yahoo Finance's chart API (YahooSource). Every interval of the
// config; backfills split by history_limits.h; the exchange notations of contracts §1 mapped to
// Yahoo's (universe/symbol.h: "ABR$D" -> "ABR-PD").
const SourceDescriptor& yahooFinanceDescriptor();

}  // namespace rawfeed::sources::yahoo

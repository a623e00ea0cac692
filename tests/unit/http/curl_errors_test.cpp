#include "http/curl/curl_errors.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace rawfeed::http::curl {
namespace {

TEST(CurlErrors, ClassifiesByCause) {
  EXPECT_EQ(classifyCurlCode(CURLE_URL_MALFORMAT), core::ErrorCode::kInvalidInput);
  EXPECT_EQ(classifyCurlCode(CURLE_UNSUPPORTED_PROTOCOL), core::ErrorCode::kInvalidInput);
  for (CURLcode code : {CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
                        CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
                        CURLE_COULDNT_RESOLVE_HOST, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2}) {
    EXPECT_EQ(classifyCurlCode(code), core::ErrorCode::kTransient) << code;
  }
  EXPECT_EQ(classifyCurlCode(CURLE_OUT_OF_MEMORY), core::ErrorCode::kInternal);
}

TEST(CurlErrors, MessageNamesCauseAndUrlWithoutQuery) {
  const core::Error error = transferError(CURLE_OPERATION_TIMEDOUT, "after 200 ms", "GET",
                                          "http://127.0.0.1:5/v8/finance/chart/AAPL?crumb=s3cr3t");
  EXPECT_EQ(error.code, core::ErrorCode::kTransient);
  EXPECT_NE(error.message.find("Timeout was reached"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("after 200 ms"), std::string::npos);
  EXPECT_NE(error.message.find("GET http://127.0.0.1:5/v8/finance/chart/AAPL"), std::string::npos);
  EXPECT_EQ(error.message.find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::http::curl

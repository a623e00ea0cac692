#include <gtest/gtest.h>

#include "store/s3/s3_list.h"
#include "store/s3/s3_xml.h"

namespace rawfeed::store::s3 {
namespace {

// An answer shaped as AWS sends it: declaration, namespace, owner and checksum fields between
// the ones we read.
constexpr std::string_view kTruncatedPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>lake</Name><Prefix>raw/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>raw/day=07/AT&amp;T &lt;x&gt;.json</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>
    <ETag>&quot;abc&quot;</ETag><ChecksumAlgorithm>SHA256</ChecksumAlgorithm><Size>1234</Size>
    <Owner><ID>o</ID><DisplayName>d</DisplayName></Owner><StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents><Key>raw/day=07/&#x5E;GSPC&#61;.json</Key><Size>0</Size></Contents>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";

TEST(S3ListTest, ReadsKeysSizesAndTheNextToken) {
  auto page = parseListPage(kTruncatedPage);
  ASSERT_TRUE(page.ok()) << page.error().describe();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "raw/day=07/AT&T <x>.json");
  EXPECT_EQ(page->objects[0].size, 1234u);
  EXPECT_EQ(page->objects[1].key, "raw/day=07/^GSPC=.json");
  EXPECT_EQ(page->objects[1].size, 0u);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3ListTest, TheLastPageAndAnEmptyOne) {
  auto last = parseListPage(
      "<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents>"
      "<IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->truncated);
  EXPECT_EQ(last->objects.size(), 1u);
  auto empty = parseListPage(
      "<ListBucketResult xmlns=\"x\"><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
      "<NextContinuationToken/></ListBucketResult>");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->objects.empty());
}

TEST(S3ListTest, MalformedAnswersAreTransientErrors) {
  for (const std::string_view body : {
           std::string_view("<html>proxy error</html>"),
           std::string_view("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
           std::string_view(
               "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"),
           std::string_view("<ListBucketResult><Contents><Key>a</Key><Size>x1</Size></Contents>"
                            "</ListBucketResult>"),
           std::string_view("<ListBucketResult><Contents><Key>a&bogus;</Key></Contents>"
                            "</ListBucketResult>"),
       }) {
    auto page = parseListPage(body);
    ASSERT_FALSE(page.ok()) << body;
    EXPECT_EQ(page.error().code, core::ErrorCode::kTransient);
  }
}

TEST(S3ListTest, QueryHasTheVersionPrefixPageSizeAndToken) {
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(listQuery("raw/", "", 1000),
            (Query{{"list-type", "2"}, {"prefix", "raw/"}, {"max-keys", "1000"}}));
  EXPECT_EQ(listQuery("", "t=", 2),
            (Query{{"list-type", "2"}, {"max-keys", "2"}, {"continuation-token", "t="}}));
}

TEST(S3XmlTest, ElementsWithAttributesSelfClosingAndLookalikes) {
  const std::string_view xml = "<Keys>no</Keys><Key a=\"1\">one</Key><Key/><Key>two</Key>";
  const auto keys = xmlElements(xml, "Key");
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0], "one");
  EXPECT_EQ(keys[1], "");
  EXPECT_EQ(keys[2], "two");
  EXPECT_EQ(xmlText(xml, "Keys"), "no");
  EXPECT_EQ(xmlText(xml, "Missing"), std::nullopt);
  EXPECT_EQ(xmlDecode("&#252;&#x20AC;&amp;&apos;"), "\xc3\xbc\xe2\x82\xac&'");
  EXPECT_EQ(xmlDecode("a & b"), std::nullopt);
}

}  // namespace
}  // namespace rawfeed::store::s3

// The vector compares under for_each_row (internal.hpp): the quotes, commas and line breaks among 64 bytes.
#include <bit>
#include <cstring>

#include "batch/internal.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keipath::batch {

BlockMasks block_masks(const char* p) {
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(','), line = _mm256_set1_epi8('\n');
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  auto bits = [](__m256i a, __m256i b, __m256i want) {
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, want)))) |
           static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, want))))
               << 32;
  };
  return BlockMasks{bits(lo, hi, quote), bits(lo, hi, comma), bits(lo, hi, line)};
#elif defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(','), line = _mm_set1_epi8('\n');
  BlockMasks m{0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const int shift = 16 * i;
    m.quote |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))))
               << shift;
    m.comma |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma))))
               << shift;
    m.line |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, line))))
              << shift;
  }
  return m;
#else
  BlockMasks m{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    m.quote |= static_cast<uint64_t>(p[i] == '"') << i;
    m.comma |= static_cast<uint64_t>(p[i] == ',') << i;
    m.line |= static_cast<uint64_t>(p[i] == '\n') << i;
  }
  return m;
#endif
}

size_t count_byte(std::string_view text, char c) {
  size_t n = 0, i = 0;
#if defined(__SSE2__)
  const __m128i want = _mm_set1_epi8(c);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    n +=
        static_cast<size_t>(std::popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)))));
  }
#endif
  for (; i < text.size(); ++i) n += static_cast<size_t>(text[i] == c);
  return n;
}

void index_rows(std::string_view chunk, RowIndex& index) {
  index.delims.clear();
  index.rows.clear();
  std::vector<size_t> delims;
  for_each_row(chunk, delims, [&](RowSpan r, const std::vector<size_t>& row_delims) {
    r.first_delim = index.delims.size();
    index.delims.insert(index.delims.end(), row_delims.begin(), row_delims.end());
    r.end_delim = index.delims.size();
    index.rows.push_back(r);
  });
}

}  // namespace keipath::batch

// The vector compares under for_each_row (internal.hpp) and the main thread's counts of quotes and line
// breaks.
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

ByteCounts count_quotes_and_lines(std::string_view text) {
  ByteCounts c;
  size_t i = 0;
  const char* p = text.data();
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"'), line = _mm256_set1_epi8('\n');
  for (; i + 32 <= text.size(); i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    c.quotes += static_cast<size_t>(
        std::popcount(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)))));
    c.lines += static_cast<size_t>(
        std::popcount(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, line)))));
  }
#elif defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), line = _mm_set1_epi8('\n');
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    c.quotes += static_cast<size_t>(
        std::popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))));
    c.lines +=
        static_cast<size_t>(std::popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, line)))));
  }
#endif
  for (; i < text.size(); ++i) {
    c.quotes += static_cast<size_t>(p[i] == '"');
    c.lines += static_cast<size_t>(p[i] == '\n');
  }
  return c;
}

}  // namespace keipath::batch

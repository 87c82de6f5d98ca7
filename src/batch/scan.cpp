// The structure of a chunk of CSV, found in one pass over its bytes 64 at a time: the commas and line breaks
// outside quoted cells, and for each row its quotes and the line breaks inside its quoted cells. A row with
// no quote other than the pair around a whole cell is then split without looking at its bytes again.
#include <bit>
#include <cstring>

#include "batch/internal.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keipath::batch {
namespace {

struct Masks {
  uint64_t quote, comma, line;
};

// Bit i set where byte i of the 64 at `p` is '"', ',' or '\n'.
Masks masks(const char* p) {
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(','), line = _mm256_set1_epi8('\n');
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  auto bits = [](__m256i a, __m256i b, __m256i want) {
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, want)))) |
           static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, want))))
               << 32;
  };
  return Masks{bits(lo, hi, quote), bits(lo, hi, comma), bits(lo, hi, line)};
#elif defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(','), line = _mm_set1_epi8('\n');
  Masks m{0, 0, 0};
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
  Masks m{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    m.quote |= static_cast<uint64_t>(p[i] == '"') << i;
    m.comma |= static_cast<uint64_t>(p[i] == ',') << i;
    m.line |= static_cast<uint64_t>(p[i] == '\n') << i;
  }
  return m;
#endif
}

// Bit i: the parity of the bits 0..i (set from an opening quote up to, not including, its closing quote).
uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace

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
  const size_t n = chunk.size();
  uint64_t inside_carry = 0;  // all ones when the previous block ended inside a quoted cell
  size_t row_start = 0, row_first = 0, quotes = 0, lines = 0;
  char pad[64];
  for (size_t base = 0; base < n; base += 64) {
    const char* p = chunk.data() + base;
    if (n - base < 64) {
      std::memset(pad, 0, sizeof pad);
      std::memcpy(pad, p, n - base);
      p = pad;
    }
    const Masks m = masks(p);
    const uint64_t inside = prefix_xor(m.quote) ^ inside_carry;
    inside_carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    uint64_t structural = (m.comma | m.line) & ~inside;
    uint64_t counted = 0;  // the bits of this block already counted into a row
    while (structural != 0) {
      const int bit = std::countr_zero(structural);
      structural &= structural - 1;
      index.delims.push_back(base + static_cast<size_t>(bit));
      if (((m.line >> bit) & 1) == 0) continue;
      const uint64_t upto = bit == 63 ? ~uint64_t{0} : (uint64_t{1} << (bit + 1)) - 1;
      quotes += static_cast<size_t>(std::popcount(m.quote & upto & ~counted));
      lines += static_cast<size_t>(std::popcount(m.line & upto & ~counted));
      index.rows.push_back(RowSpan{row_start, base + static_cast<size_t>(bit), row_first, index.delims.size(),
                                   quotes, lines - 1});
      counted = upto;
      row_start = base + static_cast<size_t>(bit) + 1;
      row_first = index.delims.size();
      quotes = lines = 0;
    }
    quotes += static_cast<size_t>(std::popcount(m.quote & ~counted));
    lines += static_cast<size_t>(std::popcount(m.line & ~counted));
  }
  // The last row without a line ending (the file's last, or one whose quote is never closed).
  if (row_start < n) {
    index.delims.push_back(n);
    index.rows.push_back(RowSpan{row_start, n, row_first, index.delims.size(), quotes, lines});
  }
}

}  // namespace keipath::batch

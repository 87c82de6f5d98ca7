// Lanes: four or eight rows evaluated at once with GCC vector extensions, and the helpers that let one rule
// be written for a single row (explain mode: bool masks, int bits) and for many (batch mode: Int lanes of
// all-ones / zero masks) alike.
//
// Nothing here knows about kei vehicles.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace keipath::lanes {

// Eight lanes where AVX2 is enabled (-march=native on a machine that has it), else four: GCC lowers 32-byte
// vectors badly to SSE2, so a portable build uses SSE2's native 16 bytes.
#ifdef __AVX2__
inline constexpr int kWidth = 8;
#else
inline constexpr int kWidth = 4;
#endif
using Int = int32_t __attribute__((vector_size(4 * kWidth)));
using Float = float __attribute__((vector_size(4 * kWidth)));
using Short = int16_t __attribute__((vector_size(2 * kWidth)));
using SignedByte = int8_t __attribute__((vector_size(kWidth)));
using Byte = uint8_t __attribute__((vector_size(kWidth)));

// --- masks: bool for one row, Int (-1 or 0 per lane) for eight -------------------------------------------
inline bool mask_and(bool a, bool b) {
  return a & b;
}
inline Int mask_and(Int a, Int b) {
  return a & b;
}
inline bool mask_or(bool a, bool b) {
  return a | b;
}
inline Int mask_or(Int a, Int b) {
  return a | b;
}
inline bool mask_not(bool a) {
  return !a;
}
inline Int mask_not(Int a) {
  return ~a;
}
// `bits` where the mask is set, else 0.
inline int32_t bits_if(bool m, int32_t bits) {
  return -static_cast<int32_t>(m) & bits;
}
inline Int bits_if(Int m, int32_t bits) {
  return m & bits;
}
// `a` where the mask is set, else `b`.
template <class T>
inline T select(bool m, T a, T b) {
  return m ? a : b;
}
inline Int select(Int m, Int a, Int b) {
  return m ? a : b;
}
inline Float select(Int m, Float a, Float b) {
  return m ? a : b;
}

// --- loading and storing kWidth rows --------------------------------------------------------------------
inline Int load(const int32_t* p) {
  Int v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// Loads kWidth narrow integers and widens each to a 32-bit lane.
template <class Narrow>
inline Int load_widened(const void* p) {
  Narrow v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, Int);
}
inline Int load(const int16_t* p) {
  return load_widened<Short>(p);
}
inline Int load(const int8_t* p) {
  return load_widened<SignedByte>(p);
}
inline Int load(const uint8_t* p) {
  return load_widened<Byte>(p);
}
inline Float load(const float* p) {
  Float v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// Stores the low byte of each lane.
inline void store_bytes(Int v, void* p) {
  const Byte b = __builtin_convertvector(v, Byte);
  std::memcpy(p, &b, sizeof b);
}

// --- table look-ups per lane ---------------------------------------------------------------------------
// table[index[k]] for each lane k; every index must be in range. V is Int (int32_t table) or Float (float).
template <class V, class T>
inline V gather(const T* table, Int index) {
#ifdef __AVX2__
  if constexpr (std::is_same_v<T, float>) {
    return reinterpret_cast<V>(_mm256_i32gather_ps(table, reinterpret_cast<__m256i>(index), 4));
  } else {
    return reinterpret_cast<V>(_mm256_i32gather_epi32(table, reinterpret_cast<__m256i>(index), 4));
  }
#else
  V r;
  for (int k = 0; k < kWidth; ++k) r[k] = table[index[k]];
  return r;
#endif
}
inline Int gather(const int32_t* table, Int index) {
  return gather<Int>(table, index);
}
inline Float gather(const float* table, Int index) {
  return gather<Float>(table, index);
}

// A table of at most kRegisterTableSize entries held in two registers, looked up per lane by shuffling. With
// AVX2 that is two permutes and a blend, far cheaper than a memory gather; SSE2 has no variable permute, so
// there kShuffleBeatsGather is false and callers should gather instead.
inline constexpr size_t kRegisterTableSize = 2 * kWidth;
#ifdef __AVX2__
inline constexpr bool kShuffleBeatsGather = true;
#else
inline constexpr bool kShuffleBeatsGather = false;
#endif
template <class V>
struct RegisterTable {
  V low, high;  // entries 0..kWidth-1 and kWidth..2*kWidth-1
};
// Requires values.size() <= kRegisterTableSize; missing entries are zero.
template <class V, class T>
RegisterTable<V> register_table(const std::vector<T>& values) {
  RegisterTable<V> t{V{}, V{}};
  for (size_t k = 0; k < values.size() && k < kRegisterTableSize; ++k) {
    if (k < static_cast<size_t>(kWidth)) {
      t.low[k] = values[k];
    } else {
      t.high[k - kWidth] = values[k];
    }
  }
  return t;
}
// t[index[k]] for each lane k; every index must be below kRegisterTableSize.
template <class V>
inline V lookup(const RegisterTable<V>& t, Int index) {
#if defined(__clang__)
  // clang (the fuzzing build) has no variable two-vector shuffle: its __builtin_shufflevector takes only
  // constant indices. Pick each lane as GCC's __builtin_shuffle does, index modulo 2 * kWidth.
  V r;
  for (int k = 0; k < kWidth; ++k) {
    const int i = index[k] & (2 * kWidth - 1);
    r[k] = i < kWidth ? t.low[i] : t.high[i - kWidth];
  }
  return r;
#else
  return __builtin_shuffle(t.low, t.high, index);
#endif
}

// For each lane, how many of the sorted `boundaries` are <= value: the index of the interval it falls in.
inline Int count_at_or_below(std::span<const int32_t> boundaries, Int value) {
  Int n = Int{} + 0;
  for (const int32_t b : boundaries) n -= (value >= b);  // a true comparison is -1
  return n;
}

}  // namespace keipath::lanes

// Streaming a batch: bytes read in chunks of whole rows, answered on every core, written in input order.
// Memory holds a few chunks per worker whatever the file size.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "batch/internal.hpp"

namespace keipath::batch {
namespace {

// Parity of the quotes in [begin, end): a row ends at a '\n' with an even number of quotes before it (from
// the start of the text, which is a row start).
size_t last_break_outside_quotes(std::string_view text) {
  if (std::memchr(text.data(), '"', text.size()) == nullptr) {
    const void* nl = memrchr(text.data(), '\n', text.size());
    return nl == nullptr ? std::string_view::npos
                         : static_cast<size_t>(static_cast<const char*>(nl) - text.data());
  }
  size_t last = std::string_view::npos;
  bool in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      in_quotes = !in_quotes;
    } else if (text[i] == '\n' && !in_quotes) {
      last = i;
    }
  }
  return last;
}

}  // namespace

size_t whole_rows_end(std::string_view text) {
  const size_t nl = last_break_outside_quotes(text);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

size_t first_row_end(std::string_view text) {
  bool in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      in_quotes = !in_quotes;
    } else if (text[i] == '\n' && !in_quotes) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

Source::Source(int fd, std::string label, int64_t begin, std::optional<int64_t> end)
    : fd_(fd), label_(std::move(label)), pos_(begin), end_(end) {
  struct stat st {};
  seekable_ = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  if (seekable_ && !end_) end_ = static_cast<int64_t>(st.st_size);
}

std::optional<int64_t> Source::size() const {
  if (!seekable_ || !end_) return std::nullopt;
  return *end_;
}

Result<size_t> Source::read(std::string& buffer, size_t n) {
  if (end_ && seekable_) n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), *end_ - pos_));
  if (n == 0) return size_t{0};
  const size_t old = buffer.size();
  buffer.resize(old + n);
  while (true) {
    const ssize_t got =
        seekable_ ? pread(fd_, buffer.data() + old, n, pos_) : ::read(fd_, buffer.data() + old, n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      buffer.resize(old);
      return fail(fmt::format("{}: cannot read: {}", label_, std::strerror(errno)));
    }
    buffer.resize(old + static_cast<size_t>(got));
    pos_ += got;
    return static_cast<size_t>(got);
  }
}

Result<void> write_all(int fd, std::string_view bytes, std::string_view label) {
  while (!bytes.empty()) {
    const ssize_t put = ::write(fd, bytes.data(), bytes.size());
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return fail(fmt::format("{}: cannot write: {}", label, std::strerror(errno)));
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return {};
}

Result<std::string> read_header(Source& in, std::string& carry) {
  constexpr size_t kStep = 64 * 1024;
  constexpr size_t kMaxHeader = 16u << 20;
  while (true) {
    const size_t end = first_row_end(carry);
    if (end != std::string::npos) {
      std::string header = carry.substr(0, end - 1);
      carry.erase(0, end);
      return header;
    }
    if (carry.size() > kMaxHeader)
      return fail(fmt::format("{}:1: the header row is longer than 16 MB (an unclosed quote?)", in.label()));
    auto got = in.read(carry, kStep);
    if (!got) return std::unexpected(got.error());
    if (*got == 0) {
      std::string header = std::move(carry);  // a file of one row, without a line ending
      carry.clear();
      return header;
    }
  }
}

Result<Counts> run(const Engine& engine, Source& in, std::string carry, int64_t first_line, int out_fd,
                   std::string_view out_label, int rejects_fd, std::string_view rejects_label,
                   const RunOptions& options) {
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const size_t chunk = std::max<size_t>(options.chunk_bytes, 4096);
  struct Job {
    int64_t seq;
    std::string rows;
    int64_t first_line;
  };
  struct Done {
    std::string out, rejects;
    Counts counts;
    int64_t bytes = 0;
  };
  std::mutex mutex;
  std::condition_variable work_ready, done_ready;
  std::deque<Job> jobs;
  std::map<int64_t, Done> done;
  bool closing = false;
  std::string failure;  // a worker's unexpected failure, reported once

  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      Worker worker(engine);
      while (true) {
        Job job;
        {
          std::unique_lock lock(mutex);
          work_ready.wait(lock, [&] { return closing || !jobs.empty(); });
          if (jobs.empty()) return;
          job = std::move(jobs.front());
          jobs.pop_front();
        }
        Done d;
        d.bytes = static_cast<int64_t>(job.rows.size());
        d.out.reserve(job.rows.size() + job.rows.size() / 2);
        try {
          d.counts = worker.process(job.rows, job.first_line, d.out, d.rejects);
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          if (failure.empty()) failure = e.what();
        }
        {
          std::lock_guard lock(mutex);
          done.emplace(job.seq, std::move(d));
        }
        done_ready.notify_all();
      }
    });
  }
  auto stop = [&] {
    {
      std::lock_guard lock(mutex);
      closing = true;
    }
    work_ready.notify_all();
    for (std::thread& t : pool) t.join();
  };

  Counts total;
  int64_t bytes_done = 0;
  int64_t next_seq = 0, next_write = 0, line = first_line;
  bool at_end = false;
  const size_t max_in_flight = static_cast<size_t>(threads) * 2 + 1;
  std::string pending = std::move(carry);
  auto in_flight = [&] { return static_cast<size_t>(next_seq - next_write); };
  while (true) {
    // Hand out chunks of whole rows while there is room.
    while (!at_end && in_flight() < max_in_flight) {
      size_t end = 0;
      while (true) {
        end = whole_rows_end(pending);
        if (end > 0 && pending.size() >= chunk) break;
        auto got = in.read(pending, chunk + chunk / 4 - std::min(pending.size(), chunk));
        if (!got) {
          stop();
          return std::unexpected(got.error());
        }
        if (*got == 0) {
          at_end = true;
          end = pending.size();  // the last row may lack its line ending
          break;
        }
      }
      if (end == 0) break;
      Job job{next_seq++, pending.substr(0, end), line};
      line += std::count(job.rows.begin(), job.rows.end(), '\n');
      pending.erase(0, end);
      {
        std::lock_guard lock(mutex);
        jobs.push_back(std::move(job));
      }
      work_ready.notify_one();
    }
    if (next_write == next_seq) break;
    Done d;
    {
      std::unique_lock lock(mutex);
      done_ready.wait(lock, [&] { return done.contains(next_write); });
      d = std::move(done.at(next_write));
      done.erase(next_write);
      if (!failure.empty()) {
        lock.unlock();
        stop();
        return fail(fmt::format("batch: {}", failure));
      }
    }
    ++next_write;
    if (auto w = write_all(out_fd, d.out, out_label); !w) {
      stop();
      return std::unexpected(w.error());
    }
    if (!d.rejects.empty()) {
      if (auto w = write_all(rejects_fd, d.rejects, rejects_label); !w) {
        stop();
        return std::unexpected(w.error());
      }
    }
    total += d.counts;
    bytes_done += d.bytes;
    if (options.progress) options.progress(bytes_done, total.read);
  }
  stop();
  return total;
}

}  // namespace keipath::batch

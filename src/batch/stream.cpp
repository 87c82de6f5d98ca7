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

// Buffers handed back for reuse, so that a chunk's memory is faulted in once per run, not once per chunk.
class BufferPool {
 public:
  std::string take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return {};
    std::string b = std::move(free_.back());
    free_.pop_back();
    b.clear();
    return b;
  }
  void give(std::string&& b) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> free_;
};

}  // namespace

RowsEnd whole_rows(std::string_view text) {
  size_t end = text.size();
  ByteCounts before;  // in [0, end's line break), once counted
  bool counted = false;
  while (true) {
    const void* nl = memrchr(text.data(), '\n', end);
    if (nl == nullptr) return {};
    const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - text.data());
    if (!counted) {
      before = count_quotes_and_lines(text.substr(0, at));
      counted = true;
    } else {
      const ByteCounts dropped = count_quotes_and_lines(text.substr(at, end - at));
      before.quotes -= dropped.quotes;
      before.lines -= dropped.lines;
    }
    if (before.quotes % 2 == 0) return {at + 1, before.lines + 1};
    end = at;
  }
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
  // Read straight into the buffer's new end (no zero-filling first).
  ssize_t got = 0;
  int error = 0;
  buffer.resize_and_overwrite(old + n, [&](char* data, size_t) {
    do {
      got = seekable_ ? pread(fd_, data + old, n, pos_) : ::read(fd_, data + old, n);
    } while (got < 0 && errno == EINTR);
    error = got < 0 ? errno : 0;
    return old + static_cast<size_t>(std::max<ssize_t>(got, 0));
  });
  if (got < 0) return fail(fmt::format("{}: cannot read: {}", label_, std::strerror(error)));
  pos_ += got;
  return static_cast<size_t>(got);
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
  BufferPool buffers;

  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      Worker worker(engine);
      double out_per_in = 1.5;  // the last chunk's output bytes per input byte
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
        d.out = buffers.take();
        d.out.reserve(static_cast<size_t>(static_cast<double>(job.rows.size()) * out_per_in * 1.1) + 4096);
        try {
          d.counts = worker.process(job.rows, job.first_line, d.out, d.rejects);
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          if (failure.empty()) failure = e.what();
        }
        if (!job.rows.empty())
          out_per_in = static_cast<double>(d.out.size()) / static_cast<double>(job.rows.size());
        buffers.give(std::move(job.rows));
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
      RowsEnd rows_end;
      size_t& end = rows_end.end;
      while (true) {
        rows_end = whole_rows(pending);
        if (end > 0 && pending.size() >= chunk) break;
        auto got = in.read(pending, chunk + chunk / 4 - std::min(pending.size(), chunk));
        if (!got) {
          stop();
          return std::unexpected(got.error());
        }
        if (*got == 0) {
          at_end = true;
          end = pending.size();  // the last row may lack its line ending
          rows_end.lines = count_quotes_and_lines(pending).lines;
          break;
        }
      }
      if (end == 0) break;
      // The chunk keeps the buffer; the part row after it starts the next one.
      std::string next = buffers.take();
      next.reserve(chunk + chunk / 4 + 1);
      next.assign(pending, end);
      pending.resize(end);
      Job job{next_seq++, std::move(pending), line};
      pending = std::move(next);
      line += static_cast<int64_t>(rows_end.lines);
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
      done_ready.wait(lock, [&] { return !failure.empty() || done.contains(next_write); });
      if (!failure.empty()) {
        lock.unlock();
        stop();
        return fail(fmt::format("batch: {}", failure));
      }
      d = std::move(done.at(next_write));
      done.erase(next_write);
    }
    ++next_write;
    // One writer, in order: measured against workers writing at their offsets (pwrite), it was as fast or
    // faster (ext4 serialises writes to one file).
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
    buffers.give(std::move(d.out));
    total += d.counts;
    bytes_done += d.bytes;
    if (options.progress) options.progress(bytes_done, total.read);
  }
  stop();
  return total;
}

}  // namespace keipath::batch

// `keipath batch` under mpirun (Open MPI from Debian). Rank r takes the rows that start in the r-th equal
// byte range of the data; a row starts after a '\n' with an even number of quotes before it, so a pre-pass
// counts each range's quotes and line breaks and an exclusive scan gives every rank its quote parity and
// line number where its range begins. Each rank answers its rows on its own cores into part files; rank 0's
// parts become the output and rejects files and the other ranks copy theirs in (in the kernel where it can)
// at offsets from a second exclusive scan: the files read as if one process had written them.
// `keipath simulate` under mpirun: each rank runs a slice of the draws and rank 0 gathers them.
#include "cli/mpi_batch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "batch/internal.hpp"
#include "cli/commands.hpp"

#ifdef KEIPATH_HAVE_MPI
#include <mpi.h>
#endif

namespace keipath::cli::mpi {

bool launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    const char* value = std::getenv(v);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

#ifndef KEIPATH_HAVE_MPI

Result<int> run_batch(const RuleBase&, const batch::Options&, batch::RunOptions, const std::string&,
                      const std::string&, const std::string&, bool) {
  return fail(
      "keipath batch: started by mpirun, but this keipath was built without MPI (install libopenmpi-dev, "
      "then rebuild: scripts/build release)");
}

Result<SimulationRanks> run_simulation(const SliceRunner&, fleet::RunOptions) {
  return fail(
      "keipath simulate: started by mpirun, but this keipath was built without MPI (install "
      "libopenmpi-dev, then rebuild: scripts/build release)");
}

#else

namespace {

constexpr size_t kBlock = 4u << 20;

struct RangeCounts {
  int64_t quotes = 0, breaks = 0;
};

// Quotes and line breaks in [begin, end) of the file.
Result<RangeCounts> count_range(int fd, int64_t begin, int64_t end, const std::string& label) {
  RangeCounts c;
  batch::Source in(fd, label, begin, end);
  std::string block;
  while (true) {
    block.clear();
    auto got = in.read(block, kBlock);
    if (!got) return std::unexpected(got.error());
    if (*got == 0) return c;
    const batch::ByteCounts n = batch::count_quotes_and_lines(block);
    c.quotes += static_cast<int64_t>(n.quotes);
    c.breaks += static_cast<int64_t>(n.lines);
  }
}

// The first row start at or after `from`, given the quote parity there, and the line breaks skipped to
// reach it.
Result<std::pair<int64_t, int64_t> > row_start(int fd, int64_t from, int64_t size, bool odd,
                                               const std::string& label) {
  char before = 0;
  if (pread(fd, &before, 1, from - 1) != 1)
    return fail(fmt::format("{}: cannot read: {}", label, std::strerror(errno)));
  if (before == '\n' && !odd) return std::pair<int64_t, int64_t>{from, 0};
  batch::Source in(fd, label, from, size);
  std::string block;
  int64_t pos = from, breaks = 0;
  bool in_quotes = odd;
  while (true) {
    block.clear();
    auto got = in.read(block, kBlock);
    if (!got) return std::unexpected(got.error());
    if (*got == 0) return std::pair<int64_t, int64_t>{size, breaks};
    for (size_t i = 0; i < block.size(); ++i) {
      if (block[i] == '"') {
        in_quotes = !in_quotes;
      } else if (block[i] == '\n') {
        ++breaks;
        if (!in_quotes) return std::pair<int64_t, int64_t>{pos + static_cast<int64_t>(i) + 1, breaks};
      }
    }
    pos += static_cast<int64_t>(block.size());
  }
}

// Copies the part file into `fd` at `offset`: in the kernel (copy_file_range), or through a buffer where the
// file systems cannot.
Result<void> copy_part(const std::string& part, int fd, int64_t offset, const std::string& label) {
  const int in = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return fail(fmt::format("{}: cannot open: {}", part, std::strerror(errno)));
  struct stat st {};
  if (fstat(in, &st) != 0) {
    ::close(in);
    return fail(fmt::format("{}: cannot read: {}", part, std::strerror(errno)));
  }
  loff_t from = 0, to = offset;
  while (from < st.st_size) {
    const ssize_t n = copy_file_range(in, &from, fd, &to, static_cast<size_t>(st.st_size - from), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // not here (EXDEV, EINVAL, ENOSYS...): the buffer below
  }
  std::string block(kBlock, '\0');
  while (from < st.st_size) {
    const ssize_t got = pread(in, block.data(), block.size(), from);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ::close(in);
      return fail(fmt::format("{}: cannot read: {}", part, std::strerror(errno)));
    }
    for (ssize_t done = 0; done < got;) {
      const ssize_t put = pwrite(fd, block.data() + done, static_cast<size_t>(got - done), to);
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) {
        ::close(in);
        return fail(fmt::format("{}: cannot write: {}", label, std::strerror(errno)));
      }
      done += put;
      to += put;
    }
    from += got;
  }
  ::close(in);
  return {};
}

class Mpi {
 public:
  Mpi() {
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~Mpi() { MPI_Finalize(); }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Whether every rank succeeded; a failing rank prints its own message.
  bool all_ok(const Result<void>& mine) const {
    int ok = mine ? 1 : 0, all = 0;
    if (!mine) fmt::print(stderr, "keipath: rank {}: {}\n", rank_, mine.error().message);
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
  }
  int64_t exscan(int64_t mine) const {
    int64_t before = 0;
    MPI_Exscan(&mine, &before, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    return rank_ == 0 ? 0 : before;
  }
  int64_t sum(int64_t mine) const {
    int64_t all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    return all;
  }

 private:
  int rank_ = 0, size_ = 1;
};

template <class T>
Result<void> as_void(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<int> run_batch(const RuleBase& base, const batch::Options& options, batch::RunOptions run,
                      const std::string& input, const std::string& out, const std::string& rejects,
                      bool progress) {
  (void)progress;  // ranks run side by side; the count line at the end says what was done
  Mpi mpi;
  const int rank = mpi.rank(), ranks = mpi.size();
  auto stop = [&](const std::string& message) -> Result<int> {
    // Every rank knows the same thing went wrong; rank 0 says it once.
    if (rank == 0) return fail(message);
    return kExitBadInput;
  };
  if (is_stdio(input)) return stop("batch: under mpirun the input must be a file every rank can read");
  if (is_stdio(out))
    return stop("--out: under mpirun the output must be a file (ranks write into it at offsets)");

  const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return stop(fmt::format("{}: cannot open as a file: {}", input, std::strerror(errno)));
  const int64_t size = st.st_size;
  batch::Source head(fd, input, 0, size);
  std::string carry;
  auto header = batch::read_header(head, carry);
  if (!header) return stop(header.error().message);
  auto engine = batch::Engine::make(base, options, *header, input);
  if (!engine) return stop(engine.error().message);
  const int64_t data_start = std::min<int64_t>(size, static_cast<int64_t>(header->size()) + 1);
  const int64_t header_breaks = std::count(header->begin(), header->end(), '\n');

  // Each rank's byte range, its quote parity and line number where it begins, and its first row.
  const int64_t span = size - data_start;
  const int64_t begin = data_start + span * rank / ranks, end = data_start + span * (rank + 1) / ranks;
  auto counted = count_range(fd, begin, end, input);
  if (!mpi.all_ok(as_void(counted))) return kExitBadInput;
  const int64_t quotes_before = mpi.exscan(counted->quotes);
  const int64_t breaks_before = mpi.exscan(counted->breaks);
  std::pair<int64_t, int64_t> start{data_start, 0};
  if (rank > 0 && begin < size) {
    auto found = row_start(fd, begin, size, quotes_before % 2 != 0, input);
    if (!mpi.all_ok(as_void(found))) return kExitBadInput;
    start = *found;
  } else if (rank > 0) {
    if (!mpi.all_ok({})) return kExitBadInput;
    start = {size, 0};
  } else if (!mpi.all_ok({})) {
    return kExitBadInput;
  }
  std::vector<int64_t> starts(static_cast<size_t>(ranks));
  MPI_Allgather(&start.first, 1, MPI_INT64_T, starts.data(), 1, MPI_INT64_T, MPI_COMM_WORLD);
  const int64_t my_end =
      rank + 1 < ranks ? std::max(starts[static_cast<size_t>(rank) + 1], start.first) : size;
  const int64_t first_line = 2 + header_breaks + breaks_before + start.second;

  // Answer the rows into part files.
  const std::string rejects_file = rejects_path(input, out, rejects);
  const std::string out_part = fmt::format("{}.part{}", out, rank);
  const std::string rejects_part = fmt::format("{}.part{}", rejects_file, rank);
  auto answer = [&]() -> Result<batch::Counts> {
    const int out_fd = ::open(out_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int rej_fd = ::open(rejects_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_fd < 0 || rej_fd < 0)
      return fail(fmt::format("{}: cannot create: {}", out_part, std::strerror(errno)));
    if (rank == 0) {
      if (auto w = batch::write_all(out_fd, engine->output_header(), out_part); !w)
        return std::unexpected(w.error());
      if (auto w = batch::write_all(rej_fd, batch::rejects_header(), rejects_part); !w)
        return std::unexpected(w.error());
    }
    batch::Source in(fd, input, start.first, my_end);
    auto counts = batch::run(*engine, in, "", first_line, out_fd, out_part, rej_fd, rejects_part, run);
    if (::close(out_fd) != 0 || ::close(rej_fd) != 0)
      return fail(fmt::format("{}: cannot write: {}", out_part, std::strerror(errno)));
    return counts;
  };
  auto counts = answer();
  ::close(fd);
  auto clean = [&] {
    std::filesystem::remove(out_part);
    std::filesystem::remove(rejects_part);
  };
  if (!mpi.all_ok(as_void(counts))) {
    clean();
    return kExitBadInput;
  }

  // Put the parts into place, each at the sum of the sizes before it: rank 0's part becomes the file
  // (renamed beside it, then lengthened), the others are copied in.
  auto place = [&](const std::string& part, const std::string& file, bool keep_when_empty) -> Result<bool> {
    const int64_t mine = static_cast<int64_t>(std::filesystem::file_size(part));
    const int64_t offset = mpi.exscan(mine);
    const int64_t total = mpi.sum(mine);
    const bool keep = keep_when_empty || total > static_cast<int64_t>(batch::rejects_header().size());
    Result<void> made;
    if (rank == 0 && keep) {
      if (std::rename(part.c_str(), file.c_str()) != 0 || ::truncate(file.c_str(), total) != 0)
        made = fail(fmt::format("{}: cannot create: {}", file, std::strerror(errno)));
    }
    if (!mpi.all_ok(made)) return false;
    Result<void> copied;
    if (keep && rank != 0) {
      const int f = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
      copied = f < 0 ? fail(fmt::format("{}: cannot open: {}", file, std::strerror(errno)))
                     : copy_part(part, f, offset, file);
      if (f >= 0 && ::close(f) != 0 && copied) copied = fail(fmt::format("{}: cannot write", file));
    }
    return mpi.all_ok(copied);
  };
  auto placed_out = place(out_part, out, true);
  auto placed_rejects =
      placed_out && *placed_out ? place(rejects_part, rejects_file, false) : Result<bool>(false);
  clean();
  if (!placed_out || !*placed_out || !placed_rejects || !*placed_rejects) return kExitBadInput;

  batch::Counts all;
  all.read = mpi.sum(counts->read);
  all.written = mpi.sum(counts->written);
  all.rejected = mpi.sum(counts->rejected);
  all.blank = mpi.sum(counts->blank);
  if (rank == 0) fmt::print(stderr, "{}\n", count_line(all, rejects_file, ranks));
  return all.rejected > 0 ? kExitRowsRejected : kExitAnswer;
}

namespace {

// Floats between ranks in messages of at most 2^28 (MPI counts are ints).
constexpr size_t kChunk = size_t{1} << 28;
void send_floats(const std::vector<float>& v, int to) {
  for (size_t at = 0; at < v.size(); at += kChunk)
    MPI_Send(v.data() + at, static_cast<int>(std::min(kChunk, v.size() - at)), MPI_FLOAT, to, 0,
             MPI_COMM_WORLD);
}
void receive_floats(std::vector<float>& v, int from) {
  for (size_t at = 0; at < v.size(); at += kChunk)
    MPI_Recv(v.data() + at, static_cast<int>(std::min(kChunk, v.size() - at)), MPI_FLOAT, from, 0,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

// Puts a slice's draws (slots x n, draw-minor) into the whole run's (slots x total) at draw `first`.
void place_draws(const std::vector<float>& part, size_t n, std::vector<float>& whole, size_t total,
                 size_t first) {
  const size_t slots = n == 0 ? 0 : part.size() / n;
  for (size_t s = 0; s < slots; ++s)
    std::copy_n(part.begin() + static_cast<std::ptrdiff_t>(s * n), n,
                whole.begin() + static_cast<std::ptrdiff_t>(s * total + first));
}

}  // namespace

Result<SimulationRanks> run_simulation(const SliceRunner& run, fleet::RunOptions o) {
  Mpi mpi;
  const int rank = mpi.rank(), ranks = mpi.size();
  const int total = o.draws;
  // ceil(D r / R): rank 0 always has a draw, so it knows the run's shape.
  auto slice_begin = [&](int r) {
    return static_cast<int>((static_cast<int64_t>(total) * r + ranks - 1) / ranks);
  };
  const int first = slice_begin(rank), mine = slice_begin(rank + 1) - first;
  SimulationRanks out;
  out.ranks = ranks;
  // Rank 0's bar stands for every rank's (they run at the same pace).
  if (rank != 0) {
    o.progress = nullptr;
  } else if (o.progress) {
    o.progress = [all = o.progress, ranks, total](int done) { all(std::min(total, done * ranks)); };
  }
  Result<std::vector<fleet::FleetRun> > parts = fail("no draws on this rank");
  if (mine > 0) {
    fleet::RunOptions slice = o;
    slice.first_draw = o.first_draw + first;
    slice.draws = mine;
    parts = run(slice);
  }
  if (!mpi.all_ok(mine > 0 ? as_void(parts) : Result<void>{})) {
    out.exit_code = kExitBadInput;
    return out;
  }
  if (rank != 0) {
    if (mine > 0)
      for (const fleet::FleetRun& part : *parts) {
        send_floats(part.national, 0);
        send_floats(part.states, 0);
      }
    return out;
  }
  // Rank 0 always has draws (total >= 1), so its parts give every run's shape; the other ranks' parts
  // arrive in the same order.
  const size_t n0 = static_cast<size_t>(mine), all = static_cast<size_t>(total);
  for (const fleet::FleetRun& part : *parts) {
    fleet::FleetRun whole = part;
    whole.draws = total;
    whole.national.assign(part.national.size() / n0 * all, 0.0f);
    whole.states.assign(part.states.size() / n0 * all, 0.0f);
    place_draws(part.national, n0, whole.national, all, 0);
    place_draws(part.states, n0, whole.states, all, 0);
    out.runs.push_back(std::move(whole));
  }
  for (int r = 1; r < ranks; ++r) {
    const size_t n = static_cast<size_t>(slice_begin(r + 1) - slice_begin(r));
    if (n == 0) continue;
    for (size_t k = 0; k < parts->size(); ++k) {
      const fleet::FleetRun& part = (*parts)[k];
      std::vector<float> national(part.national.size() / n0 * n), states(part.states.size() / n0 * n);
      receive_floats(national, r);
      receive_floats(states, r);
      place_draws(national, n, out.runs[k].national, all, static_cast<size_t>(slice_begin(r)));
      place_draws(states, n, out.runs[k].states, all, static_cast<size_t>(slice_begin(r)));
    }
  }
  return out;
}

#endif

}  // namespace keipath::cli::mpi

// `keipath batch` and `keipath simulate` under mpirun: batch splits its input by byte range across ranks
// into one ordered output; simulate splits its draws across ranks and gathers them on rank 0.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "keipath/batch.hpp"
#include "keipath/fleet.hpp"

namespace keipath::cli {

// The rejects file: the one given, else beside the output (trucks.csv -> trucks.rejects.csv), else beside
// the input, else batch.rejects.csv in the working folder.
std::string rejects_path(const std::string& input, const std::string& out, const std::string& rejects);
// "keipath batch: 40 rows read, 38 written, 2 rejected (see trucks.rejects.csv)".
std::string count_line(const batch::Counts& counts, const std::string& rejects_path, int ranks);
inline bool is_stdio(const std::string& path) {
  return path.empty() || path == "-";
}

}  // namespace keipath::cli

namespace keipath::cli::mpi {

// Whether this process was started by an MPI launcher (mpirun sets OMPI_COMM_WORLD_SIZE, PMIx launchers
// PMIX_RANK).
bool launched();

// Every rank reads its byte range of `input` (a regular file on a file system every rank sees), answers it
// on its cores into a part file beside `out`, and copies its part into `out` at its offset, so the output
// and rejects are in input order as from one process. Rank 0 prints the count line; every rank returns the
// same exit code. Without MPI support compiled in, an error that says so.
Result<int> run_batch(const RuleBase& base, const batch::Options& options, batch::RunOptions run,
                      const std::string& input, const std::string& out, const std::string& rejects,
                      bool progress);

// What `keipath simulate` has after its ranks ran: on rank 0 every draw of every run, as one process would
// have them; on the other ranks no runs (they write nothing). exit_code is not 0 when a rank failed (that
// rank has said why, naming itself); every rank then returns it.
struct SimulationRanks {
  std::vector<fleet::FleetRun> runs;
  int ranks = 1;
  int exit_code = 0;
};
// Runs a slice of draws: one run (a simulation), or several on the same draws (a scenario, its baseline and
// their difference).
using SliceRunner = std::function<Result<std::vector<fleet::FleetRun>>(const fleet::RunOptions&)>;
// Rank r of R runs draws [ceil(D r / R), ceil(D (r + 1) / R)) on o.threads threads (the draws are the same
// numbers on any rank: a draw's random numbers come from the seed and its index), and rank 0 gathers them.
// Without MPI support compiled in, an error that says so.
Result<SimulationRanks> run_simulation(const SliceRunner& run, fleet::RunOptions o);

}  // namespace keipath::cli::mpi

#include "reports/sweep_runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace flinksim::reports {
namespace {

// What the workers share with the calling thread.
class Mailbox {
 public:
  void deliver(RunRecord&& record) {
    {
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(record));
    }
    ready_.notify_one();
  }

  void fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = error;
      stop_.store(true);
    }
    ready_.notify_one();
  }

  void worker_done() {
    {
      std::lock_guard lock(mutex_);
      ++workers_done_;
    }
    ready_.notify_one();
  }

  // The next result; nullopt once every worker is done and nothing is left.
  std::optional<RunRecord> take(size_t workers) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !results_.empty() || workers_done_ == workers; });
    if (results_.empty()) return std::nullopt;
    RunRecord record = std::move(results_.front());
    results_.pop_front();
    return record;
  }

  bool stopped() const { return stop_.load(); }
  void stop() { stop_.store(true); }
  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<RunRecord> results_;
  std::exception_ptr error_;
  size_t workers_done_ = 0;
  std::atomic<bool> stop_{false};
};

void work(const std::vector<SweepJob>& jobs, std::atomic<size_t>& next, const JobFunction& run,
          Mailbox& mailbox) {
  while (!mailbox.stopped()) {
    const size_t index = next.fetch_add(1);
    if (index >= jobs.size()) break;
    try {
      mailbox.deliver(run(jobs[index]));
    } catch (...) {
      mailbox.fail(std::current_exception());
    }
  }
  mailbox.worker_done();
}

}  // namespace

void run_jobs(const std::vector<SweepJob>& jobs, WorkerCount workers, const JobFunction& run,
              const ResultFunction& on_result) {
  const size_t count = std::clamp<size_t>(workers.value, 1, std::max<size_t>(jobs.size(), 1));
  Mailbox mailbox;
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    threads.emplace_back([&] { work(jobs, next, run, mailbox); });
  }
  std::exception_ptr writer_error;
  while (std::optional<RunRecord> record = mailbox.take(count)) {
    if (writer_error) continue;  // drain what the workers still deliver
    try {
      on_result(std::move(*record));
    } catch (...) {
      writer_error = std::current_exception();
      mailbox.stop();
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (writer_error) std::rethrow_exception(writer_error);
  if (std::exception_ptr error = mailbox.error()) std::rethrow_exception(error);
}

}  // namespace flinksim::reports

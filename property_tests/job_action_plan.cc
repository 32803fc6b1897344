#include "property_tests/job_action_plan.h"

#include <string>

namespace flinksim::property_tests {
namespace {

// Where an action may strike: a time in the window; also 0-100 ms after a completed checkpoint
// (1-3); also, once a savepoint was asked for, after a completed savepoint: the moments right
// after a snapshot, when the sinks have not yet heard of it.
enum class When { time = 1, checkpoint = 2, savepoint = 3 };

rc::Gen<JobAction> generate_when(ActionWindow window, When most) {
  return rc::gen::exec([window, most] {
    JobAction action;
    const int64_t kind = *rc::gen::inRange<int64_t>(0, static_cast<int64_t>(most));
    if (kind == 0) {
      const int64_t step = *rc::gen::resize(
          rc::kNominalSize, rc::gen::inRange<int64_t>(window.from.count_milliseconds() / 100,
                                                      window.to.count_milliseconds() / 100 + 1));
      action.at = sim::Duration::milliseconds(100 * step);
      return action;
    }
    action.moment = kind == 2 ? std::string("savepoint completed")
                              : "checkpoint " + std::to_string(*rc::gen::inRange(1, 4)) + " completed";
    action.delay = sim::Duration::milliseconds(10 * *rc::gen::inRange<int64_t>(0, 11));
    return action;
  });
}

JobAction with(JobAction when, std::string action) {
  when.action = std::move(action);
  return when;
}

// 0-2 s after the job reached `status`.
JobAction resubmission(const std::string& status, std::string action) {
  JobAction resubmit;
  resubmit.moment = "job " + status;
  resubmit.delay = sim::Duration::milliseconds(100 * *rc::gen::inRange<int64_t>(0, 21));
  resubmit.action = std::move(action);
  return resubmit;
}

void add_savepoints(std::vector<FaultCommand>& actions, ActionWindow window, int most) {
  const int count = *rc::gen::inRange(0, most + 1);
  for (int index = 0; index < count; ++index) {
    actions.push_back(with(*generate_when(window, index > 0 ? When::savepoint : When::checkpoint), "savepoint: job"));
  }
}

std::vector<FaultCommand> plan_now(ActionPlan plan, ActionWindow window) {
  std::vector<FaultCommand> actions;
  switch (plan) {
    case ActionPlan::none:
      break;
    case ActionPlan::intermediate_savepoints:
      actions.push_back(with(*generate_when(window, When::checkpoint), "savepoint: job"));
      add_savepoints(actions, window, 1);
      break;
    case ActionPlan::stop_and_resume:
      add_savepoints(actions, window, 1);
      actions.push_back(with(*generate_when(window, actions.empty() ? When::checkpoint : When::savepoint), "stop-with-savepoint: job"));
      actions.push_back(resubmission("FINISHED", "start-from-savepoint: latest"));
      break;
    case ActionPlan::cancel_and_resume:
      add_savepoints(actions, window, 2);
      actions.push_back(with(*generate_when(window, actions.empty() ? When::checkpoint : When::savepoint), "cancel: job"));
      actions.push_back(resubmission(
          "CANCELED", *rc::gen::element<std::string>("start-from-savepoint: latest",
                                                     "start-from-checkpoint: latest")));
      break;
    case ActionPlan::cancel:
      actions.push_back(with(*generate_when(window, When::time), "cancel: job"));
      break;
  }
  return actions;
}

}  // namespace

rc::Gen<std::vector<FaultCommand>> generate_job_actions(ActionPlan plan, ActionWindow window) {
  return rc::gen::exec([plan, window] { return plan_now(plan, window); });
}

rc::Gen<std::string> generate_checkpoint_retention() {
  return rc::gen::element<std::string>("RETAIN_ON_CANCELLATION", "DELETE_ON_CANCELLATION");
}

}  // namespace flinksim::property_tests

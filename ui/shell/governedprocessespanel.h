#pragma once

#include "watch/helperclient.h"
#include "watch/trackedprocess.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Pitwall {

class GovernedProcessModel;
class LimitsRequester;
struct ConsoleSample;

// The Governed processes panel: what the watch engine governs (pid, command, job, cgroup,
// limits, CPU, memory), and Apply/Clear limits for the selected process through pitwall-helper.
// The helper's answer, or why it did not act (pkexec dismissed or not authorized, refused, a
// failed cgroup write), is shown under the table.
class GovernedProcessesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GovernedProcessesPanel)

public:
    explicit GovernedProcessesPanel(QStringList helperLauncher = HelperClient::defaultLauncher(),
                                    QWidget *parent = nullptr);
    ~GovernedProcessesPanel() override;

    GovernedProcessModel &model() const { return *m_model; }

    void showSample(const Pitwall::ConsoleSample &sample);
    // What the buttons do once the dialogs are answered (public for the tests).
    void applyLimits(const TrackedProcess &process, const CgroupLimits &limits);
    void clearLimits(const TrackedProcess &process);

private:
    std::optional<TrackedProcess> selected() const;
    void askForLimits();
    void confirmClear();
    void send(const TrackedProcess &process, const HelperRequest &request);
    void answered(const HelperClient::Result &result);
    void updateButtons();

    GovernedProcessModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    LimitsRequester *m_requester = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_result = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_clear = nullptr;
    TrackedProcess m_pending; // the process of the request in flight
    bool m_pendingIsApply = false;
};

} // namespace Pitwall

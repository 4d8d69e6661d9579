#include "shell/governedprocessespanel.h"

#include "shell/consolesample.h"
#include "shell/governedprocessmodel.h"
#include "shell/limitsdialog.h"
#include "shell/limitsrequester.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

GovernedProcessesPanel::GovernedProcessesPanel(QStringList helperLauncher, QWidget *parent)
    : QWidget(parent)
    , m_model(new GovernedProcessModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_requester(new LimitsRequester(std::move(helperLauncher), this))
{
    setObjectName(u"governedProcessesPanel"_s);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(GovernedProcessModel::SortRole);

    m_view = new QTableView;
    m_view->setObjectName(u"governedProcessesView"_s);
    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(GovernedProcessModel::PidColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GovernedProcessesPanel::updateButtons);

    m_state = new QLabel(tr("The watch scanner is off: switch it on in File > Settings."));
    m_state->setObjectName(u"watchState"_s);
    m_state->setWordWrap(true);
    m_apply = new QPushButton(tr("Apply limits…"));
    m_apply->setObjectName(u"applyLimits"_s);
    connect(m_apply, &QPushButton::clicked, this, &GovernedProcessesPanel::askForLimits);
    m_clear = new QPushButton(tr("Clear limits…"));
    m_clear->setObjectName(u"clearLimits"_s);
    connect(m_clear, &QPushButton::clicked, this, &GovernedProcessesPanel::confirmClear);
    m_result = new QLabel;
    m_result->setObjectName(u"limitsResult"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_requester, &LimitsRequester::finished, this, &GovernedProcessesPanel::answered);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_result, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
    updateButtons();
}

GovernedProcessesPanel::~GovernedProcessesPanel() = default;

void GovernedProcessesPanel::showSample(const ConsoleSample &sample)
{
    m_state->setVisible(!sample.watchRunning);
    m_model->update(sample.processes, sample.usage);
    updateButtons();
}

std::optional<TrackedProcess> GovernedProcessesPanel::selected() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return m_model->processAt(m_sorted->mapToSource(rows.constFirst()).row());
}

void GovernedProcessesPanel::askForLimits()
{
    const auto process = selected();
    if (!process)
        return;
    auto *dialog = new LimitsDialog(u"%1 (%2)"_s.arg(process->command).arg(process->pid),
                                    process->limitsApplied, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, target = *process] { applyLimits(target, dialog->limits()); });
    dialog->open();
}

void GovernedProcessesPanel::confirmClear()
{
    const auto process = selected();
    if (!process)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Clear limits"),
        tr("Clear the limits of %1 (pid %2)? It moves back to the root cgroup and its job %3 is "
           "removed; the process itself keeps running.")
            .arg(process->command).arg(process->pid).arg(process->jobId),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"confirmClearLimits"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::accepted, this, [this, target = *process] { clearLimits(target); });
    box->open();
}

void GovernedProcessesPanel::applyLimits(const TrackedProcess &process, const CgroupLimits &limits)
{
    send(process, {HelperRequest::Verb::Apply, process.pid, process.startTimeTicks, limits});
}

void GovernedProcessesPanel::clearLimits(const TrackedProcess &process)
{
    send(process, {HelperRequest::Verb::Clear, process.pid, process.startTimeTicks, {}});
}

void GovernedProcessesPanel::send(const TrackedProcess &process, const HelperRequest &request)
{
    if (m_requester->isBusy())
        return;
    m_pending = process;
    m_pendingIsApply = request.verb == HelperRequest::Verb::Apply;
    m_result->setText(tr("Waiting for pitwall-helper (pkexec may ask for a password)…"));
    m_requester->send(request);
    updateButtons();
}

void GovernedProcessesPanel::answered(const HelperClient::Result &result)
{
    const QString target = u"%1 (%2)"_s.arg(m_pending.command).arg(m_pending.pid);
    if (!result.ok) {
        m_result->setText(tr("%1: limits not changed. %2").arg(target, result.error));
    } else if (m_pendingIsApply) {
        QString text = tr("%1: limits applied in job %2: %3")
                           .arg(target, result.jobId,
                                GovernedProcessModel::describeLimits(result.applied.limits));
        if (!result.applied.unsupported.isEmpty())
            text += u' ' + tr("Not supported on this host: %1.")
                               .arg(result.applied.unsupported.join(u", "_s));
        m_result->setText(text);
        m_model->setHelperLimits(m_pending.key(), result.applied.limits);
    } else {
        m_result->setText(tr("%1: limits cleared, job %2 removed.").arg(target, result.jobId));
        m_model->setHelperLimits(m_pending.key(), std::nullopt);
    }
    updateButtons();
}

void GovernedProcessesPanel::updateButtons()
{
    const bool enabled = selected().has_value() && !m_requester->isBusy();
    m_apply->setEnabled(enabled);
    m_clear->setEnabled(enabled);
}

} // namespace Pitwall

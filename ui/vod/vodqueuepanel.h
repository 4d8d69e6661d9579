#pragma once

#include <QWidget>

class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Pitwall {

class VodConsole;

// The VOD queue: every VOD with its state, a progress bar, ETA, attempts (download / upload),
// priority and last error, live from the engine; cancel, reprocess, priority and skip upload for
// the selected one. Destructive actions ask first.
class VodQueuePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VodQueuePanel)

public:
    explicit VodQueuePanel(VodConsole &console, QWidget *parent = nullptr);
    ~VodQueuePanel() override;

signals:
    // The selection moved (empty id: nothing selected).
    void vodSelected(const QString &vodId);

private:
    // The selected row in the source model, or -1.
    int selectedRow() const;
    void selectionChanged();
    void cancelSelected();
    void reprocessSelected();
    void prioritizeSelected();
    void toggleSkipUpload();

    VodConsole &m_console;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_view;
    QPushButton *m_cancel;
    QPushButton *m_reprocess;
    QPushButton *m_priority;
    QPushButton *m_skipUpload;
};

} // namespace Pitwall

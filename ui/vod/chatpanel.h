#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace Pitwall {

class VodConsole;

// Chat: live chat of every channel as it is recorded, or the stored chat of the VOD selected in
// the queue, with a search over users and messages and a follow toggle that keeps the newest
// line in view.
class ChatPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPanel)

public:
    explicit ChatPanel(VodConsole &console, QWidget *parent = nullptr);
    ~ChatPanel() override;

public slots:
    // Empty: live chat of every channel.
    void showVod(const QString &vodId);

private:
    void rowsInserted();

    VodConsole &m_console;
    QLabel *m_title;
    QLineEdit *m_search;
    QCheckBox *m_follow;
    QSortFilterProxyModel *m_filtered;
    QTableView *m_view;
};

} // namespace Pitwall

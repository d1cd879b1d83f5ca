//! The voting scenario's texts, zh-CN first and English: its own table, checked like
//! every other (`crate::i18n` tests). The names of the matters are the words of art.
//! 278(1); the terms are the statute's (专有部分面积, 人数, 参与表决).

use crate::i18n::{Lang, Table};

crate::i18n::texts! {
    /// A key into the voting table.
    VoteText;
    Matter1 => "制定和修改业主大会议事规则", "Making or amending the owners' assembly's rules of procedure";
    Matter2 => "制定和修改管理规约", "Making or amending the management covenant";
    Matter3 => "选举业主委员会或者更换业主委员会成员", "Electing the owners' committee or replacing its members";
    Matter4 => "选聘和解聘物业服务企业或者其他管理人", "Hiring or dismissing the property services company or another manager";
    Matter5 => "使用建筑物及其附属设施的维修资金", "Using the maintenance fund of the buildings and their facilities";
    Matter6 => "筹集建筑物及其附属设施的维修资金", "Raising the maintenance fund of the buildings and their facilities";
    Matter7 => "改建、重建建筑物及其附属设施", "Rebuilding or reconstructing the buildings and their facilities";
    Matter8 => "改变共有部分的用途或者利用共有部分从事经营活动", "Changing the use of common parts, or running a business in them";
    Matter9 => "有关共有和共同管理权利的其他重大事项", "Other major matters of common ownership and joint management";
    ChoiceAgree => "同意", "Agree";
    ChoiceOppose => "反对", "Oppose";
    ChoiceAbstain => "弃权", "Abstain";
    ParticipationArea => "参与表决专有部分面积", "Participating exclusive area";
    AgreementArea => "同意的业主占参与表决专有部分面积", "Agreeing owners' share of the participating area";
    Owners => "人数", "owners";
    Explanation => "参与表决专有部分面积 {pa}，人数 {po}；同意的业主占参与表决专有部分面积 {aa}，占参与表决人数 {ao}。{outcome}", "Participating exclusive area {pa}, owners {po}; agreeing owners hold {aa} of the participating area and are {ao} of the participating owners. {outcome}";
    OutcomeNoQuorum => "参与表决的业主不足，决定不成立。", "Too few owners took part: no decision.";
    OutcomePassed => "表决通过。", "Passed.";
    OutcomeRejected => "表决未通过。", "Not passed.";
    SilentRuleLine => "按本业主大会议事规则（未参与表决的业主{side}，不计入参与表决）：同意的业主（含未参与表决的业主）占全部专有部分面积 {area}，占全体业主人数 {owners}；{outcome}", "Under this assembly's own rules (owners who did not take part {side}; they are not counted as taking part): agreeing owners, the silent included, hold {area} of all exclusive area and are {owners} of all owners; {outcome}";
    SilentAgreeing => "计入多数意见，即同意", "count with the majority, who agreed";
    SilentNotAgreeing => "计入多数意见，即不同意", "count with the majority, who did not agree";
    Developer => "开发商（未售出或未交付的专有部分）", "the developer (units not sold or not delivered)";
    ErrEmptyRoster => "业主名册是空的：请先导入名册", "The roster of owners is empty: import it first";
    ErrUnknownUnit => "{source}：名册上没有“{unit}”", "{source}: “{unit}” is not on the roster";
    ErrTwoBallots => "业主“{owner}”有两张票：{first} 和 {second}；每位业主只能投一票", "Owner “{owner}” has two ballots: {first} and {second}; each owner has one";
    ErrTooLarge => "面积合计过大，名册有误", "The areas add up to more than any real estate: the roster is wrong";
}

crate::i18n::texts! {
    /// The voting texts only the server and the command line use (reading rosters and
    /// ballot files): kept apart so the residents' download carries none of them.
    VoteServerText;
    Line => "第 {line} 行", "line {line}";
    RosterProblem => "第 {line} 行：{problem}", "line {line}: {problem}";
    RosterProblemAt => "第 {line} 行第 {column} 列：{problem}", "line {line}, column {column}: {problem}";
    RosterNotText => "文件既不是 UTF-8 也不是 GB18030 编码：请在 Excel 中另存为“CSV UTF-8”", "The file is neither UTF-8 nor GB18030: in Excel, save it as “CSV UTF-8”";
    RosterNoRows => "文件里没有任何一户：第一行应是表头（房号,业主,面积,开发商持有），其后每行一户", "The file has no units: the first line is the header (unit,owner,area,developer_held), then one unit a line";
    RosterNoColumn => "表头缺少“{column}”列（可写作 {names}）", "The header has no “{column}” column (write it as {names})";
    RosterUnknownColumn => "表头有无法识别的列“{column}”", "The header has a column this import does not know: “{column}”";
    RosterFields => "这一行有 {found} 列，表头有 {expected} 列", "This line has {found} fields; the header has {expected}";
    RosterEmpty => "“{column}”不能为空", "“{column}” is empty";
    RosterDuplicate => "房号“{unit}”与第 {first} 行重复", "Unit “{unit}” is already on line {first}";
    RosterArea => "面积“{value}”不是正数平方米（最多两位小数，如 89.56）", "Area “{value}” is not a positive number of square metres with at most two decimals (like 89.56)";
    RosterFlag => "“{value}”不是“是”或“否”", "“{value}” is not yes or no";
    RosterChoice => "“{value}”不是 同意、反对 或 弃权（agree / oppose / abstain）", "“{value}” is not agree, oppose or abstain";
    RosterCsv => "无法读取这一行：{detail}", "This line cannot be read: {detail}";
}

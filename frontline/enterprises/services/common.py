"""Shared by the services of this app: constants and small helpers."""

CARD_SALT = "frontline.enterprises.card"
# Unambiguous on a phone keypad and a printed card: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Days after a return from an affected area during which an employee shows amber.
OBSERVATION_DAYS = 14

HEALTH_RULE = (
    "红码：正在居家隔离，或有未解除的重点人员记录；"
    f"黄码：{OBSERVATION_DAYS} 天内从疫情地区返回，或今天有发热记录（≥37.3°C）；"
    "绿码：其他。颜色由系统按记录计算，不能手工填写。"
)

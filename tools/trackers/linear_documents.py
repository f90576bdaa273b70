"""The GraphQL documents the Linear tracker sends, in Linear's own names."""

ISSUE_FIELDS = "id identifier url title description team { id key } state { id type }"
CUSTOMER_FIELDS = "id name domains externalIds"

TEAMS = """
query Teams($after: String) {
  teams(first: 50, after: $after) {
    nodes { id key name description triageEnabled triageIssueState { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

TEAM_STATES = """
query TeamStates($id: String!) {
  team(id: $id) {
    defaultIssueState { id name type }
    states(first: 100) { nodes { id name type position } }
  }
}
"""

ISSUE = f"""
query Issue($id: String!) {{
  issue(id: $id) {{ {ISSUE_FIELDS} }}
}}
"""

ISSUE_CREATE = f"""
mutation IssueCreate($input: IssueCreateInput!) {{
  issueCreate(input: $input) {{ success issue {{ {ISSUE_FIELDS} }} }}
}}
"""

ATTACHMENT_CREATE = """
mutation AttachmentCreate($input: AttachmentCreateInput!) {
  attachmentCreate(input: $input) { success attachment { id } }
}
"""

CALL_ATTACHMENTS = f"""
query CallAttachments($filter: AttachmentFilter) {{
  attachments(filter: $filter, first: 100) {{
    nodes {{ metadata issue {{ {ISSUE_FIELDS} }} }}
  }}
}}
"""

CUSTOMERS = f"""
query Customers($filter: CustomerFilter) {{
  customers(filter: $filter, first: 50) {{ nodes {{ {CUSTOMER_FIELDS} }} }}
}}
"""

CUSTOMER = f"""
query Customer($id: String!) {{
  customer(id: $id) {{ {CUSTOMER_FIELDS} }}
}}
"""

CUSTOMER_CREATE = f"""
mutation CustomerCreate($input: CustomerCreateInput!) {{
  customerCreate(input: $input) {{ success customer {{ {CUSTOMER_FIELDS} }} }}
}}
"""

ISSUE_NEEDS = """
query IssueNeeds($id: String!) {
  issue(id: $id) { needs(first: 100) { nodes { id customer { id } } } }
}
"""

CUSTOMER_NEED_CREATE = """
mutation CustomerNeedCreate($input: CustomerNeedCreateInput!) {
  customerNeedCreate(input: $input) { success need { id } }
}
"""
